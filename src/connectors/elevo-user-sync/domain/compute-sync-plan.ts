import { desiredAttributes, diffAttributes, emailKey, lockedAttributeNames, sameLock } from './attribute-mapping';
import { orderActions } from './action-ordering';
import { disposeEmployees, indexTargets, isManaged, type Disposition, type Dispositions, type TargetIndex } from './employee-disposition';
import { resolveManagers, type ManagerResolution } from './manager-resolution';
import type { ManagerIssue, PlanOptions, SourceEmployee, SyncAction, SyncPlan, SyncPlanCounts, TargetUser } from './sync-model';

/** What one run knows while it turns dispositions into actions. */
interface PlanContext {
  options: PlanOptions;
  lock: string[];
  index: TargetIndex;
  managers: ManagerResolution;
}

/**
 * Compares Lucca employees with Elevo users and returns the ordered actions that bring Elevo in
 * line. Pure and deterministic: same inputs, same plan. See docs in the README of this folder for
 * every rule (identity, exclusion policy, manager issues, future hires).
 */
export function computeSyncPlan(source: readonly SourceEmployee[], target: readonly TargetUser[], options: PlanOptions): SyncPlan {
  const counts: SyncPlanCounts = { create: 0, update: 0, adopt: 0, suspend: 0, reactivate: 0, release: 0, skip: 0, noop: 0, unmanaged: 0 };
  const index = indexTargets(target);
  const { employees, duplicateIdSkips } = dropDuplicateIds(source);
  const dispositions = disposeEmployees(employees, index, options);
  const context: PlanContext = {
    options,
    lock: lockedAttributeNames(options.extraFieldKeys),
    index,
    managers: resolvePlanManagers(employees, dispositions),
  };

  const actions: SyncAction[] = [];
  for (const e of employees) {
    const action = employeeAction(e, dispositions.byLuccaId.get(e.luccaId)!, context);
    if (action === 'noop' || action === 'unmanaged') counts[action]++;
    else actions.push(action);
  }
  actions.push(...duplicateIdSkips);
  for (const t of target) {
    const action = goneFromSourceAction(t, dispositions, index);
    if (action === 'noop' || action === 'unmanaged') counts[action]++;
    else if (action) actions.push(action);
  }

  const ordered = orderActions(actions);
  for (const a of ordered) counts[a.kind]++;
  return { actions: ordered, counts, sourceCount: source.length, targetCount: target.length };
}

/** A Lucca id seen twice: the first record counts, the others are skipped. */
function dropDuplicateIds(source: readonly SourceEmployee[]): { employees: SourceEmployee[]; duplicateIdSkips: SyncAction[] } {
  const employees: SourceEmployee[] = [];
  const duplicateIdSkips: SyncAction[] = [];
  const seen = new Set<number>();
  for (const e of source) {
    if (seen.has(e.luccaId))
      duplicateIdSkips.push({ kind: 'skip', reason: 'invalid-record', detail: 'duplicate-lucca-id', luccaId: e.luccaId });
    else employees.push(e);
    seen.add(e.luccaId);
  }
  return { employees, duplicateIdSkips };
}

/** Only employees whose Elevo user is active and linked after the run can be managers. */
function resolvePlanManagers(employees: readonly SourceEmployee[], dispositions: Dispositions): ManagerResolution {
  const sourceById = new Map(employees.map((e) => [e.luccaId, e]));
  const synced = new Map<number, number | null>();
  for (const e of employees) {
    if (staysActiveLinked(e, dispositions.byLuccaId.get(e.luccaId)!)) synced.set(e.luccaId, e.managerLuccaId);
  }
  return resolveManagers({
    synced,
    whyNotSynced: (managerId) => {
      const m = sourceById.get(managerId);
      if (!m) return 'manager-missing';
      return m.excluded ? 'manager-excluded' : 'manager-not-synced';
    },
  });
}

function staysActiveLinked(e: SourceEmployee, d: Disposition): boolean {
  if (d.kind === 'create' || d.kind === 'adopt' || d.kind === 'sync') return true;
  // A linked user skipped for a data problem is left as it is, still active and managed.
  return (
    d.kind === 'skip' &&
    d.reason !== 'excluded' &&
    d.reason !== 'not-yet-started' &&
    d.target !== undefined &&
    d.target.status === 'active' &&
    isManaged(d.target) &&
    d.target.externalId === String(e.luccaId)
  );
}

function managerNote(id: number, context: PlanContext): { managerIssue?: ManagerIssue; managerLuccaId?: number } {
  const issue = context.managers.issues.get(id);
  return issue ? { managerIssue: issue.issue, managerLuccaId: issue.managerLuccaId } : {};
}

function employeeAction(e: SourceEmployee, d: Disposition, context: PlanContext): SyncAction | 'noop' | 'unmanaged' {
  const { options, lock } = context;
  const luccaId = e.luccaId;
  switch (d.kind) {
    case 'noop':
    case 'unmanaged':
      return d.kind;
    case 'skip':
      return {
        kind: 'skip',
        reason: d.reason,
        luccaId,
        ...(d.detail ? { detail: d.detail } : {}),
        ...(d.target ? { elevoId: d.target.elevoId } : {}),
      };
    case 'suspend':
      return { kind: 'suspend', reason: d.reason, luccaId, elevoId: d.target.elevoId };
    case 'release':
      return { kind: 'release', reason: 'excluded', luccaId, elevoId: d.target.elevoId };
    case 'create': {
      const attributes = desiredAttributes(e, context.managers.managerExternalId.get(luccaId) ?? null, options.extraFieldKeys);
      return {
        kind: 'create',
        reason: 'new-employee',
        luccaId,
        attributes: { ...attributes, externalId: String(luccaId), lockedAttributes: lock },
        ...managerNote(luccaId, context),
      };
    }
    case 'adopt': {
      const attributes = desiredAttributes(e, context.managers.managerExternalId.get(luccaId) ?? null, options.extraFieldKeys);
      return {
        kind: 'adopt',
        reason: 'existing-elevo-user',
        matchedBy: d.matchedBy,
        luccaId,
        elevoId: d.target.elevoId,
        externalId: String(luccaId),
        lockedAttributes: lock,
        changes: diffAttributes(d.target, attributes, options.extraFieldKeys),
        reactivate: d.target.status === 'suspended',
        ...managerNote(luccaId, context),
      };
    }
    case 'sync':
      return syncAction(e, d.target, context);
  }
}

/** A linked, valid, current employee: reactivate, update (changes, exclusion removed, lock) or nothing. */
function syncAction(e: SourceEmployee, t: TargetUser, context: PlanContext): SyncAction | 'noop' {
  const { options, lock } = context;
  const luccaId = e.luccaId;
  const attributes = desiredAttributes(e, context.managers.managerExternalId.get(luccaId) ?? null, options.extraFieldKeys);
  const changes = diffAttributes(t, attributes, options.extraFieldKeys);
  // A rename to an email another Elevo user holds would be refused (409): report it instead.
  if (changes.some((c) => c.field === 'email')) {
    const holders = (context.index.byEmail.get(emailKey(attributes.email)!) ?? []).filter((h) => h !== t);
    if (holders.length > 0)
      return { kind: 'skip', reason: 'email-taken', luccaId, elevoId: t.elevoId, detail: `held-by-elevo:${holders[0]!.elevoId}` };
  }
  const managed = isManaged(t);
  const relock = !sameLock(t.lockedAttributes, lock) ? { lockedAttributes: lock } : {};
  const note = managerNote(luccaId, context);
  if (t.status === 'suspended')
    return {
      kind: 'reactivate',
      reason: managed ? 'rehired' : 'exclusion-removed',
      luccaId,
      elevoId: t.elevoId,
      changes,
      ...relock,
      ...note,
    };
  if (!managed)
    return { kind: 'update', reason: 'exclusion-removed', luccaId, elevoId: t.elevoId, changes, lockedAttributes: lock, ...note };
  if (changes.length > 0) return { kind: 'update', reason: 'attributes-changed', luccaId, elevoId: t.elevoId, changes, ...relock, ...note };
  if ('lockedAttributes' in relock) return { kind: 'update', reason: 'lock-changed', luccaId, elevoId: t.elevoId, changes, ...relock };
  return 'noop';
}

/** An Elevo user whose employee is not in the source at all: suspended when we manage it. */
function goneFromSourceAction(
  t: TargetUser,
  dispositions: Dispositions,
  index: TargetIndex,
): SyncAction | 'noop' | 'unmanaged' | undefined {
  if (dispositions.linked.has(t) || dispositions.adopted.has(t)) return undefined;
  if (t.externalId !== null && index.byExternalId.get(t.externalId) !== t) return 'unmanaged'; // duplicate link: not ours to judge
  if (!isManaged(t)) return 'unmanaged';
  if (t.status === 'suspended') return 'noop';
  const id = Number(t.externalId);
  return { kind: 'suspend', reason: 'gone-from-source', elevoId: t.elevoId, ...(Number.isSafeInteger(id) ? { luccaId: id } : {}) };
}
