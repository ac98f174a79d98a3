import { desiredAttributes, diffAttributes, emailKey, lockedAttributeNames, normalizeText, sameLock } from './attribute-mapping';
import { orderActions } from './action-ordering';
import { resolveManagers } from './manager-resolution';
import { employmentState, hasContradictoryContract, validateSourceEmployee } from './source-validation';
import type {
  ManagerIssue,
  PlanOptions,
  SkipReason,
  SourceEmployee,
  SuspendReason,
  SyncAction,
  SyncPlan,
  SyncPlanCounts,
  TargetUser,
} from './sync-model';

/** What happens to one source employee, before managers and diffs are known. */
type Disposition =
  | { t: 'skip'; reason: SkipReason; detail?: string; target?: TargetUser }
  | { t: 'create' }
  | { t: 'adopt'; target: TargetUser; matchedBy: 'email' | 'registrationNumber' }
  /** Linked, valid, active employee: update, reactivate or noop once diffed. */
  | { t: 'sync'; target: TargetUser }
  | { t: 'suspend'; target: TargetUser; reason: SuspendReason }
  | { t: 'release'; target: TargetUser }
  | { t: 'noop' }
  | { t: 'unmanaged' };

const isManaged = (t: TargetUser) => t.lockedAttributes.length > 0 && t.externalId !== null;
const regKey = (v: string | null) => normalizeText(v)?.trim() || null;

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Compares Lucca employees with Elevo users and returns the ordered actions that bring Elevo in
 * line. Pure and deterministic: same inputs, same plan. See docs in the README of this folder for
 * every rule (identity, exclusion policy, manager issues, future hires).
 */
export function computeSyncPlan(source: readonly SourceEmployee[], target: readonly TargetUser[], options: PlanOptions): SyncPlan {
  const lock = lockedAttributeNames(options.extraFieldKeys);
  const counts: SyncPlanCounts = { create: 0, update: 0, adopt: 0, suspend: 0, reactivate: 0, release: 0, skip: 0, noop: 0, unmanaged: 0 };

  // --- Index Elevo users.
  const byExternalId = new Map<string, TargetUser>();
  const byEmail = new Map<string, TargetUser[]>();
  const byReg = new Map<string, TargetUser[]>();
  for (const t of target) {
    if (t.externalId !== null && !byExternalId.has(t.externalId)) byExternalId.set(t.externalId, t);
    const e = emailKey(t.email);
    if (e) pushTo(byEmail, e, t);
    const r = regKey(t.registrationNumber);
    if (r) pushTo(byReg, r, t);
  }

  // --- First pass: validity, exclusion, employment state, link.
  const employees: SourceEmployee[] = [];
  const seenIds = new Set<number>();
  const disposition = new Map<number, Disposition>();
  const duplicateIdSkips: SyncAction[] = [];
  for (const e of source) {
    if (seenIds.has(e.luccaId)) {
      duplicateIdSkips.push({ kind: 'skip', reason: 'invalid-record', detail: 'duplicate-lucca-id', luccaId: e.luccaId });
      continue;
    }
    seenIds.add(e.luccaId);
    employees.push(e);
  }
  const sourceById = new Map(employees.map((e) => [e.luccaId, e]));
  const linkedTargets = new Set<TargetUser>();

  const candidatesByEmail = new Map<string, number[]>();
  for (const e of employees) {
    const linked = byExternalId.get(String(e.luccaId));
    if (linked) linkedTargets.add(linked);
    if (e.excluded) {
      disposition.set(e.luccaId, excludedDisposition(linked, options));
      continue;
    }
    const problem = validateSourceEmployee(e);
    if (problem) {
      disposition.set(e.luccaId, { t: 'skip', reason: problem.reason, detail: problem.detail, target: linked });
      continue;
    }
    const state = employmentState(e, options.today);
    if (state === 'ended') {
      // Never created; reported so HR can fix the dates if the person still works here.
      if (!linked && hasContradictoryContract(e)) disposition.set(e.luccaId, { t: 'skip', reason: 'contradictory-contract', detail: 'contract-ends-before-it-starts' });
      else if (!linked) disposition.set(e.luccaId, { t: 'noop' });
      else if (linked.status === 'suspended') disposition.set(e.luccaId, { t: 'noop' });
      else if (isManaged(linked)) disposition.set(e.luccaId, { t: 'suspend', target: linked, reason: 'contract-ended' });
      else disposition.set(e.luccaId, { t: 'unmanaged' });
      continue;
    }
    // Current and future employees take part in the duplicate-email check; former ones do not.
    pushTo(candidatesByEmail, emailKey(e.email)!, e.luccaId);
    if (state === 'not-yet-started') {
      disposition.set(e.luccaId, { t: 'skip', reason: 'not-yet-started', detail: `starts-on-${e.contractStart}`, target: linked });
      continue;
    }
    disposition.set(e.luccaId, linked ? { t: 'sync', target: linked } : { t: 'create' });
  }

  // --- Two Lucca employees sharing an email: skip both, guess neither.
  for (const ids of candidatesByEmail.values()) {
    if (ids.length < 2) continue;
    for (const id of ids) {
      const d = disposition.get(id)!;
      disposition.set(id, { t: 'skip', reason: 'duplicate-email', target: 'target' in d ? d.target : undefined });
    }
  }

  // --- Adoption of unlinked Elevo users: by email, then by registration number.
  const claims = new Map<TargetUser, number[]>();
  for (const e of employees) {
    if (disposition.get(e.luccaId)?.t !== 'create') continue;
    const emailMatches = byEmail.get(emailKey(e.email)!) ?? [];
    const reg = regKey(e.employeeNumber);
    const regMatches = reg ? byReg.get(reg) ?? [] : [];
    const conflict = (detail: string, t?: TargetUser) =>
      disposition.set(e.luccaId, { t: 'skip', reason: 'adoption-conflict', detail, target: t });
    if (emailMatches.length > 1) { conflict('email-matches-several-elevo-users'); continue; }
    const byMail = emailMatches[0];
    if (byMail) {
      if (byMail.externalId !== null) { conflict('email-linked-to-another-employee', byMail); continue; }
      if (regMatches.some((t) => t !== byMail)) { conflict('email-and-registration-number-match-different-users', byMail); continue; }
      disposition.set(e.luccaId, { t: 'adopt', target: byMail, matchedBy: 'email' });
      pushTo(claims, byMail, e.luccaId);
      continue;
    }
    if (regMatches.length > 1) { conflict('registration-number-matches-several-elevo-users'); continue; }
    const byRegistration = regMatches[0];
    if (byRegistration) {
      if (byRegistration.externalId !== null) { conflict('registration-number-linked-to-another-employee', byRegistration); continue; }
      disposition.set(e.luccaId, { t: 'adopt', target: byRegistration, matchedBy: 'registrationNumber' });
      pushTo(claims, byRegistration, e.luccaId);
    }
  }
  for (const [t, ids] of claims) {
    if (ids.length < 2) continue;
    for (const id of ids) disposition.set(id, { t: 'skip', reason: 'adoption-conflict', detail: 'elevo-user-claimed-by-several-employees', target: t });
  }
  const adopted = new Set<TargetUser>();
  for (const d of disposition.values()) if (d.t === 'adopt') adopted.add(d.target);

  // --- Managers: only employees whose Elevo user is active and linked after the run can be managers.
  const synced = new Map<number, number | null>();
  for (const e of employees) {
    const d = disposition.get(e.luccaId)!;
    const staysActiveLinked =
      d.t === 'create' || d.t === 'adopt' || d.t === 'sync' ||
      // A linked user skipped for a data problem is left as it is, still active and managed.
      (d.t === 'skip' && d.reason !== 'excluded' && d.reason !== 'not-yet-started' && d.target !== undefined &&
        d.target.status === 'active' && isManaged(d.target) && d.target.externalId === String(e.luccaId));
    if (staysActiveLinked) synced.set(e.luccaId, e.managerLuccaId);
  }
  const managers = resolveManagers({
    synced,
    whyNotSynced: (managerId) => {
      const m = sourceById.get(managerId);
      if (!m) return 'manager-missing';
      return m.excluded ? 'manager-excluded' : 'manager-not-synced';
    },
  });
  const managerNote = (id: number): { managerIssue?: ManagerIssue; managerLuccaId?: number } => {
    const issue = managers.issues.get(id);
    return issue ? { managerIssue: issue.issue, managerLuccaId: issue.managerLuccaId } : {};
  };

  // --- Actions per employee.
  const actions: SyncAction[] = [];
  for (const e of employees) {
    const d = disposition.get(e.luccaId)!;
    const externalId = String(e.luccaId);
    switch (d.t) {
      case 'noop': counts.noop++; break;
      case 'unmanaged': counts.unmanaged++; break;
      case 'skip':
        actions.push({ kind: 'skip', reason: d.reason, luccaId: e.luccaId, ...(d.detail ? { detail: d.detail } : {}), ...(d.target ? { elevoId: d.target.elevoId } : {}) });
        break;
      case 'suspend':
        actions.push({ kind: 'suspend', reason: d.reason, luccaId: e.luccaId, elevoId: d.target.elevoId });
        break;
      case 'release':
        actions.push({ kind: 'release', reason: 'excluded', luccaId: e.luccaId, elevoId: d.target.elevoId });
        break;
      case 'create': {
        const attrs = desiredAttributes(e, managers.managerExternalId.get(e.luccaId) ?? null, options.extraFieldKeys);
        actions.push({ kind: 'create', reason: 'new-employee', luccaId: e.luccaId, attributes: { ...attrs, externalId, lockedAttributes: lock }, ...managerNote(e.luccaId) });
        break;
      }
      case 'adopt': {
        const attrs = desiredAttributes(e, managers.managerExternalId.get(e.luccaId) ?? null, options.extraFieldKeys);
        actions.push({
          kind: 'adopt', reason: 'existing-elevo-user', matchedBy: d.matchedBy, luccaId: e.luccaId, elevoId: d.target.elevoId, externalId,
          lockedAttributes: lock, changes: diffAttributes(d.target, attrs, options.extraFieldKeys), reactivate: d.target.status === 'suspended',
          ...managerNote(e.luccaId),
        });
        break;
      }
      case 'sync': {
        const t = d.target;
        const attrs = desiredAttributes(e, managers.managerExternalId.get(e.luccaId) ?? null, options.extraFieldKeys);
        const changes = diffAttributes(t, attrs, options.extraFieldKeys);
        // A rename to an email another Elevo user holds would be refused (409): report it instead.
        if (changes.some((c) => c.field === 'email')) {
          const holders = (byEmail.get(emailKey(attrs.email)!) ?? []).filter((h) => h !== t);
          if (holders.length > 0) {
            actions.push({ kind: 'skip', reason: 'email-taken', luccaId: e.luccaId, elevoId: t.elevoId, detail: `held-by-elevo:${holders[0]!.elevoId}` });
            break;
          }
        }
        const managed = isManaged(t);
        const relock = !sameLock(t.lockedAttributes, lock) ? { lockedAttributes: lock } : {};
        if (t.status === 'suspended') {
          actions.push({ kind: 'reactivate', reason: managed ? 'rehired' : 'exclusion-removed', luccaId: e.luccaId, elevoId: t.elevoId, changes, ...relock, ...managerNote(e.luccaId) });
        } else if (!managed) {
          actions.push({ kind: 'update', reason: 'exclusion-removed', luccaId: e.luccaId, elevoId: t.elevoId, changes, lockedAttributes: lock, ...managerNote(e.luccaId) });
        } else if (changes.length > 0) {
          actions.push({ kind: 'update', reason: 'attributes-changed', luccaId: e.luccaId, elevoId: t.elevoId, changes, ...relock, ...managerNote(e.luccaId) });
        } else if ('lockedAttributes' in relock) {
          actions.push({ kind: 'update', reason: 'lock-changed', luccaId: e.luccaId, elevoId: t.elevoId, changes, ...relock });
        } else {
          counts.noop++;
        }
        break;
      }
    }
  }
  actions.push(...duplicateIdSkips);

  // --- Elevo users whose employee is not in the source at all.
  for (const t of target) {
    if (linkedTargets.has(t) || adopted.has(t)) continue;
    if (t.externalId !== null && byExternalId.get(t.externalId) !== t) { counts.unmanaged++; continue; } // duplicate link: not ours to judge
    if (!isManaged(t)) { counts.unmanaged++; continue; }
    if (t.status === 'suspended') { counts.noop++; continue; }
    const id = Number(t.externalId);
    actions.push({ kind: 'suspend', reason: 'gone-from-source', elevoId: t.elevoId, ...(Number.isSafeInteger(id) ? { luccaId: id } : {}) });
  }

  const ordered = orderActions(actions);
  for (const a of ordered) counts[a.kind]++;
  return { actions: ordered, counts, sourceCount: source.length, targetCount: target.length };
}

function excludedDisposition(linked: TargetUser | undefined, options: PlanOptions): Disposition {
  if (!linked || !isManaged(linked)) return { t: 'skip', reason: 'excluded', target: linked };
  if (options.exclusionPolicy === 'suspend') {
    return linked.status === 'active' ? { t: 'suspend', target: linked, reason: 'excluded' } : { t: 'noop' };
  }
  // Release also applies to a suspended user: admins get it back, its status is left unchanged.
  return { t: 'release', target: linked };
}
