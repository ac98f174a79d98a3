import type { ActionKind, SyncPlan } from './sync-model';

export interface PlanSummary {
  /** Listed actions per kind, plus the unlisted `noop` and `unmanaged` counts. */
  byKind: Record<ActionKind | 'noop' | 'unmanaged', number>;
  /** kind -> reason code -> count (e.g. `skip.duplicate-email`). */
  byReason: Partial<Record<ActionKind, Record<string, number>>>;
  /** Creates/adopts/updates/reactivates that could not set the manager, per issue. */
  managerIssues: Record<string, number>;
  /** Number of actions that write to Elevo. */
  writes: number;
}

export function summarizePlan(plan: SyncPlan): PlanSummary {
  const byKind: PlanSummary['byKind'] = {
    create: 0,
    update: 0,
    adopt: 0,
    suspend: 0,
    reactivate: 0,
    release: 0,
    skip: 0,
    noop: plan.counts.noop,
    unmanaged: plan.counts.unmanaged,
  };
  const byReason: PlanSummary['byReason'] = {};
  const managerIssues: Record<string, number> = {};
  let writes = 0;
  for (const a of plan.actions) {
    byKind[a.kind]++;
    const reasons = (byReason[a.kind] ??= {});
    reasons[a.reason] = (reasons[a.reason] ?? 0) + 1;
    if (a.kind !== 'skip') writes++;
    if ('managerIssue' in a && a.managerIssue) managerIssues[a.managerIssue] = (managerIssues[a.managerIssue] ?? 0) + 1;
  }
  return { byKind, byReason, managerIssues, writes };
}
