import { condition, setHandler } from '@temporalio/workflow';
import { declareVersioningBehavior } from '../versioning-behavior';
import { releaseElevoSyncLockSignal } from '../../shared/elevo-user-sync-contract';

// Lives exactly as long as its (pinned) sync.
declareVersioningBehavior('PINNED', elevoSyncTenantLock);

/**
 * At most one Elevo sync per tenant, whatever started it (schedule, manual run, backfill): the sync
 * starts this workflow as its child with the fixed id `elevo-user-sync-lock/<tenant>`, so a second
 * start fails while it runs (Temporal guarantees one running execution per id). It ends when the
 * holder releases it, or is terminated with its holder (parent-close policy TERMINATE) if the holder
 * fails, times out or is terminated — no lock outlives its sync.
 */
export async function elevoSyncTenantLock(_input: { tenantId: string }): Promise<void> {
  let released = false;
  setHandler(releaseElevoSyncLockSignal, () => {
    released = true;
  });
  await condition(() => released);
}
