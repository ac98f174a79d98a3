import {
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import {
  releaseElevoSyncLockSignal,
  type ElevoSyncProgress,
  type ElevoSyncResult,
  type ElevoUserSyncInput,
  type PreparedPlan,
  type RecordedDecision,
} from '../../connectors/elevo-user-sync/contract';
import { RUN_STATE } from '../../shared/search-attributes';
import type { elevoSyncTenantLock } from './elevo-sync-tenant-lock';
import { HEARTBEAT_TIMEOUT } from '../activity-heartbeat-timeout';

// Fetching 100,000 employees at 50 Lucca requests/minute takes minutes: heartbeats, not a long timeout, detect a dead worker.
export const { prepareElevoSyncPlan } = proxyActivities<Activities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', maximumAttempts: 20 },
});
export const { elevoSyncLockHolder, countUnapprovedSuspensions } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
});
export const { applyElevoSyncBatch, finalizeElevoSyncRun } = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', maximumAttempts: 50 },
});

/** What one Elevo sync keeps while it runs (and carries, in part, over continue-as-new). */
export interface ElevoSyncRun {
  readonly input: ElevoUserSyncInput;
  readonly progress: ElevoSyncProgress;
  decision?: RecordedDecision;
  elevoRequests: number;
  lock?: ChildWorkflowHandle<typeof elevoSyncTenantLock>;
}

/** The run's status, in the progress query, the `LuccaRunState` search attribute and the UI's details. */
export function setStatus(run: ElevoSyncRun, status: ElevoSyncProgress['status'], details?: string): void {
  run.progress.status = status;
  upsertSearchAttributes([{ key: RUN_STATE, value: status }]);
  setCurrentDetails(details ?? `Elevo user sync — ${status}`);
}

/** Shows a plan in the progress query; `batchesTotal` is 0 for a dry run (nothing will be applied). */
export function showPlan(run: ElevoSyncRun, plan: PreparedPlan, batchesTotal: number): void {
  run.progress.plan = plan;
  run.progress.runKey = plan.runKey;
  run.progress.batchesTotal = batchesTotal;
}

/** Every way a run ends: the report is written, the final status shown, the tenant's lock released. */
export async function finishRun(
  run: ElevoSyncRun,
  runKey: string,
  status: ElevoSyncResult['status'],
  details?: string,
): Promise<ElevoSyncResult> {
  setStatus(run, 'reporting');
  const report = await finalizeElevoSyncRun({
    tenantId: run.input.tenantId,
    runKey,
    status,
    holdReasons: run.progress.holdReasons,
    decision: run.decision,
  });
  setStatus(run, status, details);
  await releaseLock(run);
  await condition(allHandlersFinished);
  return { ...report, elevoRequests: run.elevoRequests };
}

/** The lock frees itself only for a release naming its holder; runs that released without one replay as they ran. */
async function releaseLock(run: ElevoSyncRun): Promise<void> {
  if (!run.lock) return;
  if (!patched('elevo-sync-lock-release-names-holder')) return run.lock.signal(releaseElevoSyncLockSignal);
  const { workflowId, runId } = workflowInfo();
  await run.lock.signal(releaseElevoSyncLockSignal, { holderWorkflowId: workflowId, holderRunId: runId });
}
