import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  ParentClosePolicy,
  patched,
  setCurrentDetails,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  WorkflowIdReusePolicy,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { evaluateSafety } from '../../connectors/elevo-user-sync/domain/safety-check';
import {
  ELEVO_BACKFILL_AFTER_MS,
  ELEVO_USER_SYNC_CONNECTOR,
  elevoSyncLockWorkflowId,
  elevoSyncProgressQuery,
  type ElevoSyncProgress,
  type ElevoSyncResult,
  type ElevoUserSyncInput,
  type PreparedPlan,
  type RecordedDecision,
} from '../../connectors/elevo-user-sync/contract';
import { CONNECTOR, SCHEDULED_START_TIME, TENANT_ID } from '../../shared/search-attributes';
import { acceptApprovals, holdForApproval, type PlanningOutcome } from './elevo-sync-approval';
import {
  applyElevoSyncBatch,
  elevoSyncLockHolder,
  finishRun,
  prepareElevoSyncPlan,
  setStatus,
  showPlan,
  type ElevoSyncRun,
} from './elevo-sync-run';
import { elevoSyncTenantLock } from './elevo-sync-tenant-lock';
import { declareVersioningBehavior } from '../versioning-behavior';

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
  const progress: ElevoSyncProgress = continuation?.progress ?? {
    status: 'planning',
    holdReasons: [],
    batchesDone: 0,
    batchesTotal: 0,
    applied: 0,
    failed: 0,
  };
  const run: ElevoSyncRun = { input, progress, decision: continuation?.decision, elevoRequests: continuation?.elevoRequests ?? 0 };
  setHandler(elevoSyncProgressQuery, () => progress);
  acceptApprovals(run);

  // A scheduled (or backfilled) run is about its nominal day, not the day it happens to execute.
  const scheduledAt = workflowInfo().typedSearchAttributes.get(SCHEDULED_START_TIME);
  // Runs that started before the lock existed (the first versioned release) replay without it.
  const guarded = patched('elevo-sync-tenant-lock');
  if (guarded && !continuation && scheduledAt) refuseBackfill(input.tenantId, scheduledAt);
  run.lock =
    input.dryRun || !guarded ? undefined : await acquireTenantLock(input.tenantId, workflowInfo().workflowId, continuation !== undefined);

  const planned: PlanningOutcome = continuation ? { kind: 'apply', plan: continuation.plan } : await planRun(run, scheduledAt);
  if (planned.kind === 'ended') return planned.result;
  if (!input.dryRun) await applyPlan(run, planned.plan);
  const status = input.dryRun ? 'dry-run' : 'completed';
  return finishRun(run, planned.plan.runKey, status, `${status}: ${progress.applied} changes applied, ${progress.failed} failed`);
}

/**
 * Lucca only answers with today's data: judging contracts on a past date against it would suspend
 * and reactivate people at random. A sync always converges Elevo to Lucca as it is now.
 */
function refuseBackfill(tenantId: string, scheduledAt: Date): void {
  if (Date.now() - scheduledAt.getTime() <= ELEVO_BACKFILL_AFTER_MS) return;
  throw ApplicationFailure.nonRetryable(
    `refused: backfilled Elevo sync for ${scheduledAt.toISOString().slice(0, 10)} — the sync can only bring Elevo to Lucca's current state (Lucca has no history), so past days cannot be replayed; nothing was read or written. Run it now with \`lucca-connectors run ${tenantId} elevo-user-sync\`.`,
    'ElevoSyncBackfillRefused',
  );
}

/** Fetches both populations and plans; the safety check may hold the run for a human. */
async function planRun(run: ElevoSyncRun, scheduledAt: Date | undefined): Promise<PlanningOutcome> {
  const { input } = run;
  const info = workflowInfo();
  upsertSearchAttributes([
    { key: TENANT_ID, value: input.tenantId },
    { key: CONNECTOR, value: ELEVO_USER_SYNC_CONNECTOR },
  ]);
  setStatus(run, 'planning', 'Fetching Lucca and Elevo populations and computing the plan');
  const planKey = `elevo-user-sync/${input.tenantId}/${sanitize(info.workflowId)}/${info.runId}`;
  const prepared = await prepareElevoSyncPlan({
    tenantId: input.tenantId,
    runKey: planKey,
    runDate: input.runDate,
    scheduledAt: scheduledAt?.toISOString(),
    ...(input.employeeIds ? { employeeIds: input.employeeIds } : {}),
  });
  run.elevoRequests = prepared.elevoRequests;
  showPlan(run, prepared, input.dryRun ? 0 : prepared.batchCount);
  const counts = {
    suspendCount: prepared.counts.suspend,
    managedActiveCount: prepared.managedActiveCount,
    sourceCount: prepared.sourceCount,
    previousSourceCount: prepared.previousSourceCount,
  };
  const verdict = evaluateSafety(counts, prepared.safety);
  run.progress.holdReasons = verdict.reasons;
  if (!verdict.hold || input.dryRun) return { kind: 'apply', plan: prepared };
  return holdForApproval(run, prepared, planKey, scheduledAt);
}

/** Applies the plan's batches from where the run (or its previous continuation) stopped. */
async function applyPlan(run: ElevoSyncRun, plan: PreparedPlan): Promise<void> {
  const { input, progress } = run;
  setStatus(run, 'applying', `Applying ${plan.writeCount} changes in ${plan.batchCount} batches`);
  for (let batch = progress.batchesDone; batch < plan.batchCount; batch++) {
    const outcome = await applyElevoSyncBatch({ tenantId: input.tenantId, runKey: plan.runKey, batchIndex: batch });
    progress.batchesDone = batch + 1;
    progress.applied += outcome.applied;
    progress.failed += outcome.failed;
    run.elevoRequests += outcome.elevoRequests;
    setCurrentDetails(
      `Applied ${progress.batchesDone}/${plan.batchCount} batches (${progress.applied} changes, ${progress.failed} failed)`,
    );
    if (workflowInfo().continueAsNewSuggested && progress.batchesDone < plan.batchCount) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof elevoUserSync>(input, { plan, progress, decision: run.decision, elevoRequests: run.elevoRequests });
    }
  }
}

/**
 * Takes the tenant's lock (a child with a fixed id) or fails with a clear message naming the run
 * that holds it. After continue-as-new the previous run's lock is still closing (or, rarely, another
 * run took it meanwhile): a continued run waits for it rather than abandon a half-applied plan.
 */
async function acquireTenantLock(
  tenantId: string,
  self: string,
  continued: boolean,
): Promise<ChildWorkflowHandle<typeof elevoSyncTenantLock>> {
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
