import {
  allHandlersFinished,
  ApplicationFailure,
  currentUpdateInfo,
  condition,
  continueAsNew,
  log,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  WorkflowIdReusePolicy,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import { declareVersioningBehavior } from './versioning-behavior';
import { WorkflowExecutionAlreadyStartedError, type Duration } from '@temporalio/common';
import type { Activities } from '../activities';
import { describeSafetyReason, evaluateSafety } from '../domain/elevo-sync/safety-check';
import {
  ELEVO_BACKFILL_AFTER_MS,
  elevoSyncLockWorkflowId,
  releaseElevoSyncLockSignal,
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
import { elevoSyncTenantLock } from './elevo-sync-tenant-lock';
import { raiseAlert } from './raise-alert';

// Fetching 100,000 employees at 50 Lucca requests/minute takes minutes: heartbeats, not a long timeout, detect a dead worker.
const { prepareElevoSyncPlan } = proxyActivities<Activities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', maximumAttempts: 20 },
});
const { elevoSyncLockHolder, countUnapprovedSuspensions } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
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

// A run lasts minutes (up to 72 h when held): it finishes on the release that started it, so its
// code can change freely between releases; the previous release's workers drain it.
declareVersioningBehavior('PINNED', elevoUserSync);

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

  // A scheduled (or backfilled) run is about its nominal day, not the day it happens to execute.
  const scheduledAt = info.typedSearchAttributes.get(SCHEDULED_START_TIME);
  // Runs that started before the lock existed (the first versioned release) replay without it.
  const guarded = patched('elevo-sync-tenant-lock');
  if (guarded && !continuation && scheduledAt && Date.now() - scheduledAt.getTime() > ELEVO_BACKFILL_AFTER_MS) {
    // Lucca only answers with today's data: judging contracts on a past date against it would suspend
    // and reactivate people at random. A sync always converges Elevo to Lucca as it is now.
    throw ApplicationFailure.nonRetryable(
      `refused: backfilled Elevo sync for ${scheduledAt.toISOString().slice(0, 10)} — the sync can only bring Elevo to Lucca's current state (Lucca has no history), so past days cannot be replayed; nothing was read or written. Run it now with \`lucca-connectors run ${input.tenantId} elevo-user-sync\`.`,
      'ElevoSyncBackfillRefused',
    );
  }
  const lock = input.dryRun || !guarded ? undefined : await acquireTenantLock(input.tenantId, info.workflowId, continuation !== undefined);

  let plan = continuation?.plan;
  let elevoRequests = continuation?.elevoRequests ?? 0;
  if (!plan) {
    upsertSearchAttributes([
      { key: TENANT_ID, value: input.tenantId },
      { key: CONNECTOR, value: ELEVO_USER_SYNC_CONNECTOR },
    ]);
    setStatus('planning', 'Fetching Lucca and Elevo populations and computing the plan');
    const runKey = `elevo-user-sync/${input.tenantId}/${sanitize(info.workflowId)}/${info.runId}`;
    let prepared = await prepareElevoSyncPlan({ tenantId: input.tenantId, runKey, runDate: input.runDate, scheduledAt: scheduledAt?.toISOString() });
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
        await lock?.signal(releaseElevoSyncLockSignal);
        return { ...report, elevoRequests };
      }
      // The approval may come days later: re-plan on the current data, and refuse if the fresh plan
      // suspends anyone the approver did not see (fewer or the same suspensions are covered).
      if (patched('elevo-approval-recheck')) {
        setStatus('rechecking', 'Approved: re-planning on the current Lucca and Elevo data before writing');
        const fresh = await prepareElevoSyncPlan({ tenantId: input.tenantId, runKey: `${runKey}/after-approval`, runDate: prepared.runDate, scheduledAt: scheduledAt?.toISOString() });
        elevoRequests += fresh.elevoRequests;
        const { unapproved } = await countUnapprovedSuspensions({ approvedRunKey: prepared.runKey, runKey: fresh.runKey });
        if (unapproved > 0) {
          setStatus('reporting');
          const report = await finalizeElevoSyncRun({ tenantId: input.tenantId, runKey: fresh.runKey, status: 'approval-outdated', holdReasons: verdict.reasons, decision });
          setStatus('approval-outdated', `Approval outdated: Lucca or Elevo changed since; the current plan would suspend ${unapproved} user(s) nobody approved. Nothing was written; run again and approve the new plan.`);
          await lock?.signal(releaseElevoSyncLockSignal);
          return { ...report, elevoRequests };
        }
        prepared = fresh;
        plan = fresh;
        progress.plan = fresh;
        progress.runKey = fresh.runKey;
        progress.batchesTotal = fresh.batchCount;
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
  await lock?.signal(releaseElevoSyncLockSignal);
  await condition(allHandlersFinished);
  return { ...report, elevoRequests };
}

/**
 * Takes the tenant's lock (a child with a fixed id) or fails with a clear message naming the run
 * that holds it. After continue-as-new the previous run's lock is still closing (or, rarely, another
 * run took it meanwhile): a continued run waits for it rather than abandon a half-applied plan.
 */
async function acquireTenantLock(tenantId: string, self: string, continued: boolean): Promise<ChildWorkflowHandle<typeof elevoSyncTenantLock>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startChild(elevoSyncTenantLock, {
        workflowId: elevoSyncLockWorkflowId(tenantId),
        args: [{ tenantId }],
        parentClosePolicy: ParentClosePolicy.TERMINATE,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const { holder } = await elevoSyncLockHolder({ tenantId });
      if (continued || ((holder === undefined || holder === self) && attempt < 30)) {
        setCurrentDetails(`Waiting for the tenant's Elevo sync lock${holder && holder !== self ? ` (held by ${holder})` : ''}`);
        await sleep(holder && holder !== self ? '30 seconds' : '1 second');
        continue;
      }
      log.warn('Elevo sync refused: another sync of this tenant is running', { tenantId, holder });
      throw ApplicationFailure.nonRetryable(
        `refused: another Elevo sync of tenant "${tenantId}" is running (${holder}); at most one runs at a time, so this run did nothing. Wait for it to finish, or follow it with \`lucca-connectors runs --tenant ${tenantId} --connector elevo-user-sync\`.`,
        'ElevoSyncAlreadyRunning',
      );
    }
  }
}

function sanitize(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}
