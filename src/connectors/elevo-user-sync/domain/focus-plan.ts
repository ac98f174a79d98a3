import type { SyncAction, SyncPlan, SyncPlanCounts } from './sync-model';

/**
 * A targeted sync plans with the changed employees (plus their managers, read only so reports can
 * be linked) against the whole Elevo population, then keeps only the actions about the focus:
 * everyone else is absent from that partial source and would otherwise look "gone from Lucca".
 */
export function focusPlan(plan: SyncPlan, focus: ReadonlySet<number>, targetExternalIds: ReadonlySet<string>): SyncPlan {
  const actions = plan.actions.filter((a) => isAboutFocus(a, focus));
  const counts: SyncPlanCounts = { create: 0, update: 0, adopt: 0, suspend: 0, reactivate: 0, release: 0, skip: 0, noop: 0, unmanaged: 0 };
  for (const a of actions) counts[a.kind]++;
  const acted = new Set(actions.map((a) => a.luccaId));
  // Focused employees with no action are in line already (or unknown to both sides).
  for (const id of focus) if (!acted.has(id) && targetExternalIds.has(String(id))) counts.noop++;
  return { actions, counts, sourceCount: focus.size, targetCount: plan.targetCount };
}

function isAboutFocus(action: SyncAction, focus: ReadonlySet<number>): boolean {
  return action.luccaId !== undefined && focus.has(action.luccaId);
}

/** Actions that change who can be a manager: the reports of these employees must be re-planned too. */
export function affectsReports(action: SyncAction): boolean {
  return action.kind !== 'update' || action.reason === 'exclusion-removed';
}
