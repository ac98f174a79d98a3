import {
  allHandlersFinished,
  currentUpdateInfo,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { Activities } from '../activities';
import { describeSafetyReason, evaluateSafety } from '../domain/elevo-sync/safety-check';
import {
  approveElevoSyncUpdate,
  ELEVO_USER_SYNC_CONNECTOR,
  elevoSyncProgressQuery,
  rejectElevoSyncUpdate,
  type ApprovalDecision,
  type RecordedDecision,
  type ElevoSyncProgress,
  type ElevoSyncResult,
  type ElevoUserSyncInput,
  type PreparedPlan,
} from '../shared/elevo-user-sync-contract';
import { requireOperatorIdentity } from '../shared/operator-identity';
import { CONNECTOR, RUN_STATE, SCHEDULED_START_TIME, TENANT_ID } from '../shared/search-attributes';
import { raiseAlert } from './raise-alert';

// Fetching 100,000 employees at 50 Lucca requests/minute takes minutes: heartbeats, not a long timeout, detect a dead worker.
const { prepareElevoSyncPlan } = proxyActivities<Activities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', maximumAttempts: 20 },
});
const { applyElevoSyncBatch, finalizeElevoSyncRun } = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', maximumAttempts: 50 },
});

/** Carried over continue-as-new so a long apply phase never outgrows the history limits. */
interface Continuation {
  plan: PreparedPlan;
  progress: ElevoSyncProgress;
  decision?: RecordedDecision;
  elevoRequests: number;
}

/**
 * Daily Lucca → Elevo user sync for one tenant: fetch → plan → safety check (hold for approval)
 * → apply in batches → report. Every write is idempotent, so retries and worker crashes never
 * duplicate a user.
 */
export async function elevoUserSync(input: ElevoUserSyncInput, continuation?: Continuation): Promise<ElevoSyncResult> {
  const info = workflowInfo();
  const progress: ElevoSyncProgress = continuation?.progress ?? { status: 'planning', holdReasons: [], batchesDone: 0, batchesTotal: 0, applied: 0, failed: 0 };
  let decision = continuation?.decision;
  setHandler(elevoSyncProgressQuery, () => progress);
  const decide = (approved: boolean) => (d: ApprovalDecision) => {
    const updateId = currentUpdateInfo()?.id;
    decision = {
      by: d.by,
      client: d.client,
      ...(d.comment !== undefined ? { comment: d.comment } : {}),
      approved,
      // So the report can show the client identity Temporal itself recorded with this update.
      ...(updateId ? { request: { runId: workflowInfo().runId, updateId } } : {}),
    };
  };
  const onlyWhenHeld = (decision: ApprovalDecision) => {
    requireOperatorIdentity(decision);
    if (progress.status !== 'held') throw new Error(`the run is not waiting for approval (status: ${progress.status})`);
  };
  setHandler(approveElevoSyncUpdate, decide(true), { validator: onlyWhenHeld });
  setHandler(rejectElevoSyncUpdate, decide(false), { validator: onlyWhenHeld });

  const setStatus = (status: ElevoSyncProgress['status'], details?: string) => {
    progress.status = status;
    upsertSearchAttributes([{ key: RUN_STATE, value: status }]);
    setCurrentDetails(details ?? `Elevo user sync — ${status}`);
  };

  let plan = continuation?.plan;
  let elevoRequests = continuation?.elevoRequests ?? 0;
  if (!plan) {
    upsertSearchAttributes([
      { key: TENANT_ID, value: input.tenantId },
      { key: CONNECTOR, value: ELEVO_USER_SYNC_CONNECTOR },
    ]);
    setStatus('planning', 'Fetching Lucca and Elevo populations and computing the plan');
    const runKey = `elevo-user-sync/${input.tenantId}/${sanitize(info.workflowId)}/${info.runId}`;
    // A scheduled (or backfilled) run is about its nominal day, not the day it happens to execute.
    const scheduledAt = info.typedSearchAttributes.get(SCHEDULED_START_TIME)?.toISOString();
    const prepared = await prepareElevoSyncPlan({ tenantId: input.tenantId, runKey, runDate: input.runDate, scheduledAt });
    plan = prepared;
    elevoRequests = prepared.elevoRequests;
    progress.plan = prepared;
    progress.runKey = prepared.runKey;
    progress.batchesTotal = input.dryRun ? 0 : prepared.batchCount;

    const verdict = evaluateSafety(
      { suspendCount: prepared.counts.suspend, managedActiveCount: prepared.managedActiveCount, sourceCount: prepared.sourceCount, previousSourceCount: prepared.previousSourceCount },
      prepared.safety,
    );
    progress.holdReasons = verdict.reasons;

    if (verdict.hold && !input.dryRun) {
      setStatus('held', `Held for approval: ${verdict.reasons.map(describeSafetyReason).join('; ')}`);
      log.warn('Elevo sync held for approval', { tenantId: input.tenantId, reasons: verdict.reasons.map((r) => r.code) });
      await raiseAlert({ kind: 'run-held', tenantId: input.tenantId, connector: 'elevo-user-sync', runId: info.workflowId, reasons: verdict.reasons.map((r) => ({ code: r.code, description: describeSafetyReason(r) })) });
      const decided = await condition(() => decision !== undefined, (input.approvalTimeout ?? '72 hours') as Duration);
      if (!decided || !decision?.approved) {
        const status = decided ? 'rejected' : 'approval-timed-out';
        setStatus('reporting');
        const report = await finalizeElevoSyncRun({ tenantId: input.tenantId, runKey: prepared.runKey, status, holdReasons: verdict.reasons, decision });
        setStatus(status);
        return { ...report, elevoRequests };
      }
    }
  }

  if (!plan) throw new Error('unreachable: no plan after the planning phase');
  const applying: PreparedPlan = plan;
  if (!input.dryRun) {
    setStatus('applying', `Applying ${applying.writeCount} changes in ${applying.batchCount} batches`);
    for (let batch = progress.batchesDone; batch < applying.batchCount; batch++) {
      const outcome = await applyElevoSyncBatch({ tenantId: input.tenantId, runKey: applying.runKey, batchIndex: batch });
      progress.batchesDone = batch + 1;
      progress.applied += outcome.applied;
      progress.failed += outcome.failed;
      elevoRequests += outcome.elevoRequests;
      setCurrentDetails(`Applied ${progress.batchesDone}/${applying.batchCount} batches (${progress.applied} changes, ${progress.failed} failed)`);
      if (workflowInfo().continueAsNewSuggested && progress.batchesDone < applying.batchCount) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof elevoUserSync>(input, { plan: applying, progress, decision, elevoRequests });
      }
    }
  }

  setStatus('reporting');
  const status = input.dryRun ? 'dry-run' : 'completed';
  const report = await finalizeElevoSyncRun({ tenantId: input.tenantId, runKey: applying.runKey, status, holdReasons: progress.holdReasons, decision });
  setStatus(status, `${status}: ${progress.applied} changes applied, ${progress.failed} failed`);
  await condition(allHandlersFinished);
  return { ...report, elevoRequests };
}

function sanitize(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}
