import { log } from '@temporalio/activity';
import { heartbeatProgress } from '../activity-heartbeats';
import { missedByIncremental } from '../../domain/freshness/missed-by-incremental';
import { computeSyncPlan } from '../../connectors/elevo-user-sync/domain/compute-sync-plan';
import { employmentState } from '../../connectors/elevo-user-sync/domain/source-validation';
import { affectsReports, focusPlan } from '../../connectors/elevo-user-sync/domain/focus-plan';
import type {
  PlanOptions,
  SkipAction,
  SourceEmployee,
  SyncAction,
  SyncPlan,
  TargetUser,
  WriteAction,
} from '../../connectors/elevo-user-sync/domain/sync-model';
import { FocusedLuccaReader } from './targeted-lucca-population';
import type { ElevoClient } from '../../connectors/elevo-user-sync/elevo/client';
import { countRequests } from '../../integrations/http/json-http-client';
import type { PreparedPlan } from '../../connectors/elevo-user-sync/contract';
import type { ArtifactStore } from '../../storage/artifact-store';
import { todayIn } from '../tenant-clock';
import { readLuccaPopulation } from './elevo-lucca-population';
import type { ActivityDependencies } from '../activity-dependencies';
import { elevoSyncKeys as keys, type StoredBatch, type StoredSummary } from './elevo-sync-artifacts';
import { elevoClientOf } from '../../connectors/elevo-user-sync/elevo/client-for-tenant';

export interface PreparePlanInput {
  tenantId: string;
  runKey: string;
  runDate?: string;
  scheduledAt?: string;
  /** A targeted sync: only these Lucca users (and their reports when a change affects them). */
  employeeIds?: number[];
}

/** Fetches both populations, computes the plan, stores it in batches; returns only counts. */
export async function prepareElevoSyncPlan(deps: ActivityDependencies, input: PreparePlanInput): Promise<PreparedPlan> {
  const tenant = deps.tenants.tenant(input.tenantId);
  const elevoConfig = deps.tenants.section(input.tenantId, 'elevo');
  const runDate =
    input.runDate ?? todayIn(tenant.timeZone, input.scheduledAt ? new Date(input.scheduledAt) : (deps.now ?? (() => new Date()))());
  const mapping = { exclusionFieldCode: elevoConfig.exclusion.fieldCode, extraFields: elevoConfig.extraFields };
  const options = { today: runDate, exclusionPolicy: elevoConfig.exclusion.policy, extraFieldKeys: Object.keys(elevoConfig.extraFields) };
  const lucca = deps.tenants.lucca(input.tenantId);
  const fromElevo = await countRequests(() => readElevoPopulation(elevoClientOf(deps.tenants, input.tenantId)));
  const target = fromElevo.result;
  const fromLucca = await countRequests(async () =>
    input.employeeIds
      ? planFocused(new FocusedLuccaReader(lucca, mapping, input.tenantId), input.employeeIds, target, options)
      : planFull(await readLuccaPopulation(lucca, mapping, input.tenantId), target, options),
  );
  const { source, plan } = fromLucca.result;
  const writes = plan.actions.filter((a): a is WriteAction => a.kind !== 'skip');
  const skips = plan.actions.filter((a): a is SkipAction => a.kind === 'skip');
  const batchCount = await storePlan(deps.artifacts, input.runKey, {
    writes,
    skips,
    batchSize: elevoConfig.batchSize,
    named: namer(source, target),
  });

  // A targeted run sees a handful of employees: the population-drop check compares full runs only.
  const previous = input.employeeIds ? null : await deps.artifacts.getJson<{ sourceCount: number }>(keys.lastSuccess(input.tenantId));
  const summary: StoredSummary = {
    tenantId: input.tenantId,
    runKey: input.runKey,
    runDate,
    counts: plan.counts,
    sourceCount: source.filter((e) => employmentState(e, runDate) === 'active').length,
    targetCount: target.length,
    managedActiveCount: target.filter((u) => u.externalId && u.lockedAttributes.length > 0 && u.status === 'active').length,
    previousSourceCount: previous?.sourceCount ?? null,
    writeCount: writes.length,
    batchCount,
    luccaRequests: fromLucca.requests,
    elevoRequests: fromElevo.requests,
    safety: elevoConfig.safety,
    ...(input.employeeIds ? { scope: 'employees' as const } : { missedByIncremental: missedByIncremental(writes, source, runDate) }),
  };
  if (summary.missedByIncremental)
    log.info('full Elevo sync: changes the incremental path had not applied', {
      tenantId: input.tenantId,
      missedByIncremental: summary.missedByIncremental,
    });
  await deps.artifacts.putJson(keys.summary(input.runKey), summary);
  const { tenantId: _t, ...prepared } = summary;
  return prepared;
}

function planFull(source: SourceEmployee[], target: TargetUser[], options: PlanOptions): { source: SourceEmployee[]; plan: SyncPlan } {
  return { source, plan: computeSyncPlan(source, target, options) };
}

/**
 * The changed employees against the whole Elevo population (Elevo reads are cheap, Lucca's are the
 * scarce budget); when a change alters who can manage (created, suspended, excluded…), their
 * reports are read and planned too.
 */
async function planFocused(
  reader: FocusedLuccaReader,
  ids: number[],
  target: TargetUser[],
  options: PlanOptions,
): Promise<{ source: SourceEmployee[]; plan: SyncPlan }> {
  const focus = new Set(ids);
  const linked = new Set(target.flatMap((t) => (t.externalId ? [t.externalId] : [])));
  const source = new Map((await reader.employeesAndManagers(ids)).map((e) => [e.luccaId, e]));
  let plan = focusPlan(computeSyncPlan([...source.values()], target, options), focus, linked);
  const managersChanging = [...new Set(plan.actions.filter(affectsReports).map((a) => a.luccaId!))];
  if (managersChanging.length === 0) return { source: [...source.values()], plan };
  const reports = (await reader.reportsOf(managersChanging)).filter((r) => !focus.has(r.luccaId));
  if (reports.length === 0) return { source: [...source.values()], plan };
  for (const r of reports) {
    focus.add(r.luccaId);
    source.set(r.luccaId, r);
  }
  plan = focusPlan(computeSyncPlan([...source.values()], target, options), focus, linked);
  return { source: [...source.values()], plan };
}

async function readElevoPopulation(elevo: ElevoClient): Promise<TargetUser[]> {
  const target: TargetUser[] = [];
  for await (const page of elevo.listUserPages()) {
    target.push(...page);
    heartbeatProgress({ phase: 'elevo', fetched: target.length });
  }
  return target;
}

/** Writes in batches of `batchSize`, skips in one artifact; returns the number of batches. */
async function storePlan(
  artifacts: ArtifactStore,
  runKey: string,
  plan: { writes: WriteAction[]; skips: SkipAction[]; batchSize: number; named: (a: SyncAction) => StoredBatch['actions'][number] },
): Promise<number> {
  const batchCount = Math.ceil(plan.writes.length / plan.batchSize);
  for (let i = 0; i < batchCount; i++) {
    const slice = plan.writes.slice(i * plan.batchSize, (i + 1) * plan.batchSize);
    await artifacts.putJson(keys.batch(runKey, i), { actions: slice.map(plan.named) } satisfies StoredBatch);
  }
  await artifacts.putJson(keys.skips(runKey), { actions: plan.skips.map(plan.named) } satisfies StoredBatch);
  return batchCount;
}

/** Each action with the person's display name (from Lucca, else Elevo), for the report. */
function namer(source: SourceEmployee[], target: TargetUser[]): (action: SyncAction) => StoredBatch['actions'][number] {
  const full = (first: string | null, last: string | null) => [first, last].filter(Boolean).join(' ') || null;
  const byLucca = new Map<number, string | null>(source.map((e) => [e.luccaId, full(e.firstName, e.lastName)]));
  const byElevo = new Map<string, string | null>(target.map((u) => [u.elevoId, full(u.firstName, u.lastName)]));
  const nameOf = (a: SyncAction) =>
    (a.luccaId !== undefined ? byLucca.get(a.luccaId) : undefined) ??
    ('elevoId' in a && a.elevoId ? byElevo.get(a.elevoId) : undefined) ??
    null;
  return (action) => ({ action, name: nameOf(action) });
}
