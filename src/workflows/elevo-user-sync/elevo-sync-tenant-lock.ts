import { ApplicationFailure, condition, log, patched, setHandler, workflowInfo, type ParentWorkflowInfo } from '@temporalio/workflow';
import { declareVersioningBehavior } from '../versioning-behavior';
import { releaseElevoSyncLockSignal, type ReleaseElevoSyncLock } from '../../connectors/elevo-user-sync/contract';

// Lives exactly as long as its (pinned) sync.
declareVersioningBehavior('PINNED', elevoSyncTenantLock);

/** Locks started before this check replay as they ran (any release freed them). */
export const LOCK_HOLDER_CHECK_PATCH = 'elevo-sync-lock-holder-check';

/**
 * At most one Elevo sync per tenant, whatever started it (schedule, manual run, backfill): the sync
 * starts this workflow as its child with the fixed id `elevo-user-sync-lock/<tenant>`, so a second
 * start fails while it runs (Temporal guarantees one running execution per id). It ends when the
 * holder releases it, or is terminated with its holder (parent-close policy TERMINATE) if the holder
 * fails, times out or is terminated — no lock outlives its sync.
 *
 * Only its holder frees it: a release must name the lock's parent execution (workflow id and run
 * id; an older run's sealed release copied from history names another run). A lock without a parent
 * was started by hand: it would block the tenant's syncs with nobody to release it, so it refuses at once.
 */
export async function elevoSyncTenantLock(input: { tenantId: string }): Promise<void> {
  const checked = patched(LOCK_HOLDER_CHECK_PATCH);
  const holder = workflowInfo().parent;
  let released = false;
  setHandler(releaseElevoSyncLockSignal, (release) => {
    if (checked && !namesHolder(release, holder)) {
      log.warn('Elevo sync lock release refused: not sent by the holding sync', { lock: workflowInfo().workflowId });
      return;
    }
    released = true;
  });
  if (checked && !holder) {
    log.warn('Elevo sync lock started without a holding sync: refused', { lock: workflowInfo().workflowId });
    throw ApplicationFailure.nonRetryable(
      `refused: the Elevo sync lock of tenant "${String(input?.tenantId)}" is only taken by an Elevo sync (as its child); one started by hand holds nothing`,
      'ElevoSyncLockWithoutHolder',
    );
  }
  await condition(() => released);
}

function namesHolder(release: ReleaseElevoSyncLock | undefined, holder: ParentWorkflowInfo | undefined): boolean {
  if (!holder || typeof release !== 'object' || release === null) return false;
  return release.holderWorkflowId === holder.workflowId && release.holderRunId === holder.runId;
}
