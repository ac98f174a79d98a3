import type { ActivityDependencies } from '../activity-dependencies';
import { applyElevoSyncBatch } from './apply-elevo-sync-batch';
import { suspensionsOf } from './elevo-sync-artifacts';
import { createElevoSyncLockActivities } from './elevo-sync-lock-activities';
import { finalizeElevoSyncRun, type FinalizeRunInput } from './finalize-elevo-sync-run';
import { prepareElevoSyncPlan, type PreparePlanInput } from './prepare-elevo-sync-plan';

/** Every activity of the Elevo user sync: plan, apply a batch, re-check after approval, report; the tenant lock's lookup. */
export function createElevoUserSyncActivities(deps: ActivityDependencies) {
  return {
    // The tenant lock's holder lookup travels with the sync's activities.
    ...createElevoSyncLockActivities(),
    prepareElevoSyncPlan: (input: PreparePlanInput) => prepareElevoSyncPlan(deps, input),
    applyElevoSyncBatch: (input: { tenantId: string; runKey: string; batchIndex: number }) => applyElevoSyncBatch(deps, input),
    /**
     * After an approval the run re-plans on the current data; the approval covered the suspensions
     * of the held plan. Counts the fresh plan's suspensions that were not in it (ids stay here).
     */
    async countUnapprovedSuspensions(input: { approvedRunKey: string; runKey: string }): Promise<{ unapproved: number }> {
      const approved = new Set(await suspensionsOf(deps.artifacts, input.approvedRunKey));
      return { unapproved: (await suspensionsOf(deps.artifacts, input.runKey)).filter((id) => !approved.has(id)).length };
    },
    finalizeElevoSyncRun: (input: FinalizeRunInput) => finalizeElevoSyncRun(deps, input),
  };
}
