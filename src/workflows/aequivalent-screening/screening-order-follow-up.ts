import { ActivityFailure, condition, continueAsNew, log, proxyActivities, workflowInfo, allHandlersFinished } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { ScreeningOrderResult } from '../../connectors/aequivalent-screening/contract';
import { failureType } from '../failure-type';
import { raiseAlert } from '../raise-alert';
import type { ScreeningOrderWorkflow } from './screening-order-signature';
import type { PlacedOrder, ScreeningOrderRun } from './screening-order-run';
import { writeUntilDone } from './screening-write-back';
import { HEARTBEAT_TIMEOUT } from '../activity-heartbeat-timeout';

// Few attempts: the follow loop is the long retry (a failed poll or cancel is logged and tried again
// at the next poll), so an Aequivalent outage of any length never fails a placed order.
const { getScreeningDossier, cancelScreeningDossier } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 3 },
});

/** (e) webhooks first, polls as the fallback, until a final state, the deadline, or continue-as-new. */
export async function followDossier(run: ScreeningOrderRun, placed: PlacedOrder): Promise<ScreeningOrderResult> {
  const { dossierId, pollMs, deadlineAtMs } = placed;
  // After a failed cancellation (Aequivalent down) the next try waits for the next poll.
  let cancelDue = true;
  let lastFailure: string | undefined;
  while (!run.isFinal()) {
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      run.state.continuedAsNew += 1;
      await continueAsNew<ScreeningOrderWorkflow>(run.input, run.continuation(placed));
    }
    if (Date.now() >= deadlineAtMs) return pastDeadline(run, placed);
    const failed = lastFailure ? ` (last call to Aequivalent failed: ${lastFailure}; ${run.state.followUpFailures} failures so far)` : '';
    run.setStage('following', `Following dossier ${dossierId}: ${run.current ?? 'created'}${failed}`);
    const woken = await condition(
      () => run.inbox.length > 0 || (run.cancelRequest !== undefined && cancelDue),
      Math.max(1, Math.min(pollMs, deadlineAtMs - Date.now())),
    );
    if (run.cancelRequest && cancelDue) {
      lastFailure = await cancel(run, dossierId);
      cancelDue = lastFailure === undefined;
    } else if (!woken) {
      lastFailure = await poll(run, dossierId);
      cancelDue = true;
    }
    // A final status announced by a webhook is written nowhere before Aequivalent confirms it.
    if (run.drainInbox(dossierId)) lastFailure = await poll(run, dossierId);
    await mirror(run, placed);
  }
  return concluded(run, dossierId);
}

/** The dossier ended at Aequivalent: the order's outcome, and an alert when a report is there to read. */
async function concluded(run: ScreeningOrderRun, dossierId: string): Promise<ScreeningOrderResult> {
  const outcome = run.outcome();
  if (run.current === 'report_available')
    await raiseAlert({
      kind: 'order-result-available',
      tenantId: run.input.tenantId,
      runId: run.workflowId,
      luccaId: run.input.luccaId,
      dossierId,
    });
  return run.finish(outcome);
}

/** One last read at the deadline: the dossier may have ended meanwhile; otherwise the order stops following. */
async function pastDeadline(run: ScreeningOrderRun, placed: PlacedOrder): Promise<ScreeningOrderResult> {
  await poll(run, placed.dossierId);
  if (run.isFinal()) return concluded(run, placed.dossierId);
  log.warn('screening order follow-up deadline passed', {
    tenantId: run.input.tenantId,
    luccaId: run.input.luccaId,
    dossierId: placed.dossierId,
  });
  run.state.problems.push({
    code: 'follow_up_deadline',
    field: 'dossier',
    message: `Dossier ${placed.dossierId} was still ${run.current ?? 'created'} at the follow-up deadline; check it at Aequivalent.`,
  });
  return run.finish('follow-up-deadline');
}

/** Reads the dossier; a failure is logged and returned (the next poll tries again). */
async function poll(run: ScreeningOrderRun, dossierId: string): Promise<string | undefined> {
  run.state.polls += 1;
  try {
    run.applySnapshot(await getScreeningDossier({ tenantId: run.input.tenantId, dossierId }), 'poll');
    return undefined;
  } catch (err) {
    return followUpFailed(run, 'poll', err, dossierId);
  }
}

/** Cancels at Aequivalent; already finished there (409): its real final state wins. */
async function cancel(run: ScreeningOrderRun, dossierId: string): Promise<string | undefined> {
  run.setStage('cancelling', `Cancelling dossier ${dossierId}`);
  try {
    run.applySnapshot(await cancelScreeningDossier({ tenantId: run.input.tenantId, dossierId }), 'cancel');
    return undefined;
  } catch (err) {
    if (failureType(err) === 'AequivalentConflictError') {
      log.warn('dossier cancellation refused: already finished', { dossierId });
      return poll(run, dossierId);
    }
    return followUpFailed(run, 'cancel', err, dossierId);
  }
}

function followUpFailed(run: ScreeningOrderRun, what: 'poll' | 'cancel', err: unknown, dossierId: string): string {
  if (!(err instanceof ActivityFailure)) throw err;
  run.state.followUpFailures += 1;
  const type = failureType(err);
  log.warn(`Aequivalent ${what} failed; the order keeps following`, {
    tenantId: run.input.tenantId,
    luccaId: run.input.luccaId,
    dossierId,
    failure: type,
    failures: run.state.followUpFailures,
  });
  return type;
}

/** Optional mirroring of later dossier states into the Lucca list (`statusLabels.mirror`). */
async function mirror(run: ScreeningOrderRun, placed: PlacedOrder): Promise<void> {
  const status = run.current;
  if (status === undefined || status === run.mirrored) return;
  const entryId = placed.target.mirrorEntryIds[status];
  if (entryId === undefined) return;
  await writeUntilDone(run, placed, entryId, status);
  run.mirrored = status;
}
