import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { declareVersioningBehavior } from './versioning-behavior';
import type { Activities } from '../activities';
import type { DossierSnapshot, StatusWriteTarget } from '../activities/screening-order-activities';
import {
  cancelOrderUpdate,
  dossierIdempotencyKey,
  type CancelOrderRequest,
  dossierStatusChangedSignal,
  orderStateQuery,
  SCREENING_CONNECTOR,
  type DossierResultName,
  type DossierStatusChangedSignal,
  type DossierStatusName,
  type OrderFollowUp,
  type OrderState,
  type ScreeningOrderInput,
  type ScreeningOrderResult,
  type ScreeningOutcome,
  type StatusHistoryEntry,
  SEEN_EVENT_WINDOW,
} from '../shared/screening-order-contract';
import { requireOperatorIdentity } from '../shared/operator-identity';
import { CONNECTOR, EMPLOYEE_ID, RUN_STATE, TENANT_ID } from '../shared/search-attributes';
import { raiseAlert } from './raise-alert';
import { isFinal as isFinalDossier, outcomeOf as dossierOutcome, recordReading, recordStatus, type DossierTracking } from '../domain/screening/dossier-tracking';
import { advice } from '../onboarding/lucca-setup-advice';

const { prepareScreeningOrder } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', maximumAttempts: 30 },
});
// The create is idempotent (key derived from the order): retrying it for a long time is safe.
const { createScreeningDossier } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '10 minutes', maximumAttempts: 200 },
});
// Write-back: retried by Temporal, then by the workflow loop below, until it is done.
const { writeScreeningStatus } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '10 minutes', maximumAttempts: 20 },
});
const { transferScreeningFiles } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes', maximumAttempts: 20 },
});
// Few attempts: the follow loop is the long retry (a failed poll or cancel is logged and tried again
// at the next poll), so an Aequivalent outage of any length never fails a placed order.
const { getScreeningDossier, cancelScreeningDossier } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 3 },
});

const WRITE_BACK_PAUSE_MAX_MS = 60 * 60 * 1000;

const DAY_MS = 24 * 3600 * 1000;

// An order lives for weeks: it moves to each new release at its next workflow task, so every
// change to its commands is guarded by patched() and checked by the replay gate.
declareVersioningBehavior('AUTO_UPGRADE', screeningOrder);

/**
 * One Aequivalent screening order for one employee and one Lucca status value, from the HR file
 * to the report: read + validate → create the dossier (idempotent) → write "created" back to Lucca
 * (retried until done) → hand the files over → follow the dossier through webhooks, with polling
 * as a fallback, until it ends or the follow-up deadline passes. The workflow id is the dossier's
 * externalReference. A placed order never fails because Aequivalent or Lucca is down: failures of
 * the follow-up are logged and retried; it continues as new when Temporal suggests it, carrying
 * only `OrderFollowUp`.
 */
export async function screeningOrder(input: ScreeningOrderInput, carried?: OrderFollowUp): Promise<ScreeningOrderResult> {
  const workflowId = workflowInfo().workflowId;
  const state: OrderState = carried?.state ?? { stage: 'reading', problems: [], history: [], filesTransferred: 0, writeBackFailures: 0, signalsApplied: 0, signalsIgnored: 0, polls: 0, followUpFailures: 0, continuedAsNew: 0 };
  const seenEvents = new Set<string>(carried?.seenEventIds ?? []);
  const inbox: DossierStatusChangedSignal[] = carried?.inbox ?? [];
  let cancelRequest: CancelOrderRequest | undefined = carried?.cancelRequest;
  let current = carried?.current;
  let finalResult: DossierResultName | null = carried?.finalResult ?? null;
  let mirrored = carried?.mirrored;

  setHandler(orderStateQuery, () => state);
  setHandler(dossierStatusChangedSignal, (event) => {
    // Aequivalent delivers at least once: the event id makes a redelivery a no-op.
    if (seenEvents.has(event.eventId)) {
      state.signalsIgnored += 1;
      return;
    }
    seenEvents.add(event.eventId);
    inbox.push(event);
  });
  setHandler(
    cancelOrderUpdate,
    (request) => {
      cancelRequest = request;
      state.cancelledBy = { by: request.by, client: request.client, ...(request.reason !== undefined ? { reason: request.reason } : {}) };
      return state;
    },
    {
      validator: (request: CancelOrderRequest) => {
        requireOperatorIdentity(request);
        if (state.outcome !== undefined || cancelRequest !== undefined) throw new Error(`the order is already ${state.outcome ?? 'being cancelled'}`);
      },
    },
  );

  const setStage = (stage: OrderState['stage'], details: string) => {
    state.stage = stage;
    upsertSearchAttributes([{ key: RUN_STATE, value: stage }]);
    setCurrentDetails(details);
  };
  const finish = async (outcome: ScreeningOutcome): Promise<ScreeningOrderResult> => {
    state.outcome = outcome;
    state.stage = 'completed';
    // Search attributes are never encrypted: the stage only. The outcome (a background-check result)
    // stays in the sealed workflow result, where the intake reads it.
    upsertSearchAttributes([{ key: RUN_STATE, value: 'completed' }]);
    setCurrentDetails(`Completed: ${outcome}${state.dossierId ? ` (dossier ${state.dossierId})` : ''}`);
    await condition(allHandlersFinished);
    return {
      outcome,
      ...(state.dossierId ? { dossierId: state.dossierId } : {}),
      ...(state.cancelledBy ? { cancelledBy: state.cancelledBy } : {}),
      ...(state.problems.length > 0 ? { problems: state.problems } : {}),
    };
  };

  let follow: Omit<OrderFollowUp, 'state' | 'current' | 'finalResult' | 'mirrored' | 'seenEventIds' | 'inbox' | 'cancelRequest'>;
  if (carried) {
    follow = carried;
  } else {
    const placed = await placeOrder();
    if ('outcome' in placed) return finish(placed.outcome);
    follow = placed;
  }
  return followDossier();

  // ---- phases (closures over the state above)

  /** (a) read + validate, (b) create, (d) write back, (c) files. Returns what following needs, or an outcome. */
  async function placeOrder(): Promise<typeof follow | { outcome: ScreeningOutcome }> {
    upsertSearchAttributes([
      { key: TENANT_ID, value: input.tenantId },
      { key: CONNECTOR, value: SCREENING_CONNECTOR },
      { key: EMPLOYEE_ID, value: String(input.luccaId) },
    ]);
    setStage('reading', 'Reading the candidate and the Background check section in Lucca');
    const prepared = await prepareScreeningOrder({ tenantId: input.tenantId, luccaId: input.luccaId, orderKey: input.orderKey, externalReference: workflowId });
    if (prepared.kind === 'cancelled-by-hr') {
      log.info('screening order no longer requested in Lucca', { tenantId: input.tenantId, luccaId: input.luccaId, reason: prepared.reason });
      state.problems.push({ code: prepared.reason, field: 'orderStatus', message: 'The order status in Lucca is no longer "to order" for this request: nothing was ordered.' });
      return { outcome: 'cancelled-by-hr' };
    }
    if (prepared.kind === 'invalid') {
      state.problems.push(...prepared.problems);
      await raiseAlert({ kind: 'order-invalid', tenantId: input.tenantId, runId: workflowId, luccaId: input.luccaId, problems: prepared.problems });
      return { outcome: 'invalid' };
    }
    state.problems.push(...prepared.warnings);
    if (cancelRequest) return { outcome: 'cancelled' };
    // The config enforces a floor in minutes; one second here only guards against a zero.
    const pollMs = Math.max(1_000, Math.round(prepared.pollIntervalMinutes * 60_000));
    // Orders placed before these settings existed replay with activity results that lack them.
    const writeBackAlertMs = Math.round((prepared.writeBackAlertHours ?? 24) * 3600_000);

    // (b) create, idempotently: a retry or a re-run of this order gets the same dossier back
    setStage('ordering', 'Creating the dossier at Aequivalent');
    const created = await createScreeningDossier({ tenantId: input.tenantId, request: prepared.request, idempotencyKey: dossierIdempotencyKey(input) });
    state.dossierId = created.dossierId;
    applySnapshot(created, 'create');
    const placed = { dossierId: created.dossierId, target: prepared.target, pollMs, writeBackAlertMs, deadlineAtMs: Date.now() + Math.round((prepared.followUpDeadlineDays ?? 60) * DAY_MS) };

    // (d) write-back, before anything else can fail: Lucca must show the order is placed
    setStage('writing-back', 'Writing the "dossier created" status back to Lucca');
    await writeUntilDone(placed, prepared.target.createdEntryId, 'created');

    // (c) files: streamed by the activity, never through this workflow
    if (prepared.files.length > 0) {
      setStage('transferring-files', `Transferring ${prepared.files.length} file(s) to Aequivalent`);
      try {
        const { transferred } = await transferScreeningFiles({ tenantId: input.tenantId, luccaId: input.luccaId, dossierId: created.dossierId, keyPrefix: dossierIdempotencyKey(input), files: prepared.files });
        state.filesTransferred = transferred;
      } catch (err) {
        // The dossier exists: a file that cannot be handed over is reported, the order goes on.
        state.problems.push({ code: 'file_transfer_failed', field: 'files', message: `Some files could not be transferred to Aequivalent (${failureType(err)}); send them manually.` });
      }
    }
    return placed;
  }

  /** (e) webhooks first, polls as the fallback, until a final state, the deadline, or continue-as-new. */
  async function followDossier(): Promise<ScreeningOrderResult> {
    const { dossierId, pollMs, deadlineAtMs } = follow;
    // After a failed cancellation (Aequivalent down) the next try waits for the next poll.
    let cancelDue = true;
    let lastFailure: string | undefined;
    while (!isFinal()) {
      if (workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        state.continuedAsNew += 1;
        const seenEventIds = [...seenEvents].slice(-SEEN_EVENT_WINDOW);
        await continueAsNew<typeof screeningOrder>(input, { ...follow, state, current, finalResult, mirrored, seenEventIds, inbox, cancelRequest });
      }
      if (Date.now() >= deadlineAtMs) {
        lastFailure = await poll();
        if (isFinal()) break;
        log.warn('screening order follow-up deadline passed', { tenantId: input.tenantId, luccaId: input.luccaId, dossierId });
        state.problems.push({ code: 'follow_up_deadline', field: 'dossier', message: `Dossier ${dossierId} was still ${current ?? 'created'} at the follow-up deadline; check it at Aequivalent.` });
        return finish('follow-up-deadline');
      }
      setStage('following', `Following dossier ${dossierId}: ${current ?? 'created'}${lastFailure ? ` (last call to Aequivalent failed: ${lastFailure}; ${state.followUpFailures} failures so far)` : ''}`);
      const woken = await condition(() => inbox.length > 0 || (cancelRequest !== undefined && cancelDue), Math.max(1, Math.min(pollMs, deadlineAtMs - Date.now())));
      if (cancelRequest && cancelDue) {
        lastFailure = await cancel();
        cancelDue = lastFailure === undefined;
      } else if (!woken) {
        lastFailure = await poll();
        cancelDue = true;
      }
      drainInbox(dossierId);
      await mirror();
    }
    const outcome = outcomeOf();
    if (current === 'report_available') await raiseAlert({ kind: 'order-result-available', tenantId: input.tenantId, runId: workflowId, luccaId: input.luccaId, dossierId });
    return finish(outcome);
  }

  /** Reads the dossier; a failure is logged and returned (the next poll tries again). */
  async function poll(): Promise<string | undefined> {
    state.polls += 1;
    try {
      applySnapshot(await getScreeningDossier({ tenantId: input.tenantId, dossierId: follow.dossierId }), 'poll');
      return undefined;
    } catch (err) {
      return followUpFailed('poll', err);
    }
  }

  /** Cancels at Aequivalent; already finished there (409): its real final state wins. */
  async function cancel(): Promise<string | undefined> {
    setStage('cancelling', `Cancelling dossier ${follow.dossierId}`);
    try {
      applySnapshot(await cancelScreeningDossier({ tenantId: input.tenantId, dossierId: follow.dossierId }), 'cancel');
      return undefined;
    } catch (err) {
      if (failureType(err) === 'AequivalentConflictError') {
        log.warn('dossier cancellation refused: already finished', { dossierId: follow.dossierId });
        return poll();
      }
      return followUpFailed('cancel', err);
    }
  }

  function followUpFailed(what: 'poll' | 'cancel', err: unknown): string {
    if (!(err instanceof ActivityFailure)) throw err;
    state.followUpFailures += 1;
    const type = failureType(err);
    log.warn(`Aequivalent ${what} failed; the order keeps following`, { tenantId: input.tenantId, luccaId: input.luccaId, dossierId: follow.dossierId, failure: type, failures: state.followUpFailures });
    return type;
  }

  function drainInbox(dossierId: string): void {
    while (inbox.length > 0) {
      const event = inbox.shift()!;
      if (event.dossierId !== dossierId) {
        state.signalsIgnored += 1;
        continue;
      }
      if (apply(event.status, event.result, event.occurredAt, 'webhook')) state.signalsApplied += 1;
      else state.signalsIgnored += 1;
    }
  }

  // The dossier's state machine is domain/screening/dossier-tracking; these adapt it to the run's variables.
  function tracking(): DossierTracking {
    return { current, result: finalResult, history: state.history };
  }

  function track(next: DossierTracking): void {
    current = next.current;
    finalResult = next.result;
    state.history = next.history;
  }

  function isFinal(): boolean {
    return isFinalDossier(tracking());
  }

  function outcomeOf(): ScreeningOutcome {
    const outcome = dossierOutcome(tracking());
    if (!outcome) throw ApplicationFailure.nonRetryable(`unreachable: dossier not final (${current ?? 'none'})`, 'ScreeningOrderBug');
    return outcome;
  }

  /** Records a status; returns whether anything changed (webhooks arrive late, twice, out of order). */
  function apply(status: DossierStatusName, result: DossierResultName | null, at: string, source: StatusHistoryEntry['source']): boolean {
    const { tracking: next, changed } = recordStatus(tracking(), { status, result, at, source });
    track(next);
    return changed;
  }

  /** A full dossier read fills in states whose webhooks were missed, in their order. */
  function applySnapshot(snapshot: DossierSnapshot, source: StatusHistoryEntry['source']): void {
    track(recordReading(tracking(), snapshot, source));
  }

  /** Optional mirroring of later dossier states into the Lucca list (`statusLabels.mirror`). */
  async function mirror(): Promise<void> {
    if (current === undefined || current === mirrored) return;
    const entryId = follow.target.mirrorEntryIds[current];
    if (entryId === undefined) return;
    const status = current;
    await writeUntilDone(follow, entryId, status);
    mirrored = status;
  }

  /**
   * Lucca may refuse writes for a while (rate limit, outage, a key that lost a right): the order is
   * already placed, so we keep trying, with pauses up to an hour, and never order again. Past
   * `writeBackAlertMs` the order shows the stage `write-back-blocked` so an operator finds it.
   */
  async function writeUntilDone(on: Pick<OrderFollowUp, 'target' | 'pollMs' | 'writeBackAlertMs'>, entryId: number, what: string): Promise<void> {
    const since = Date.now();
    const alert = () => {
      if (state.stage === 'write-back-blocked') return;
      setStage('write-back-blocked', `Lucca write-back (${what}) blocked since ${new Date(since).toISOString()} (${state.writeBackFailures} failed attempts so far); still retrying`);
      log.warn('Lucca write-back blocked past the alert threshold', { tenantId: input.tenantId, luccaId: input.luccaId, failures: state.writeBackFailures });
    };
    // Same cadence as the polling at first (hours in production), doubling up to an hour.
    for (let pauseMs = Math.min(on.pollMs, WRITE_BACK_PAUSE_MAX_MS); ; pauseMs = Math.min(pauseMs * 2, WRITE_BACK_PAUSE_MAX_MS)) {
      try {
        const write = writeScreeningStatus({ tenantId: input.tenantId, luccaId: input.luccaId, statusValueId: on.target.statusValueId, entryId });
        // The alert timer is a new command: orders already past this point under the previous
        // release replay without it (README, "Changing a workflow safely").
        if (patched('write-back-alert-timer')) await alertWhenSlow(write, since + on.writeBackAlertMs - Date.now(), alert);
        else await write;
        return;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        state.writeBackFailures += 1;
        log.warn('Lucca write-back failed; will retry', { tenantId: input.tenantId, luccaId: input.luccaId, failure: failureType(err) });
        // A refused write is the one right `tenants check` cannot see without writing: say what to fix
        // (in the details first, visible at once, then the alert, which takes an activity).
        const fix = failureType(err) === 'LuccaPermissionError' ? ` — ${advice.writeSection('Background check')}` : '';
        if (state.stage !== 'write-back-blocked') setCurrentDetails(`Lucca write-back (${what}) blocked: ${failureType(err)}; next try in ${Math.round(pauseMs / 1000)} s${fix}`);
        if (state.writeBackFailures === 1) await raiseAlert({ kind: 'write-back-blocked', tenantId: input.tenantId, runId: workflowId, luccaId: input.luccaId, dossierId: state.dossierId ?? '-', failure: failureType(err), attempts: state.writeBackFailures });
        if (patched('write-back-alert-timer')) await alertWhenSlow(sleep(pauseMs), since + on.writeBackAlertMs - Date.now(), alert);
        else await sleep(pauseMs);
      }
    }
  }
}

/** Awaits `work`; calls `onSlow` if it is still pending after `afterMs` (the timer is cancelled otherwise). */
async function alertWhenSlow<T>(work: Promise<T>, afterMs: number, onSlow: () => void): Promise<T> {
  if (afterMs <= 0) {
    onSlow();
    return work;
  }
  const scope = new CancellationScope();
  scope.run(() => sleep(afterMs)).then(onSlow, () => undefined);
  try {
    return await work;
  } finally {
    scope.cancel();
  }
}

function failureType(err: unknown): string {
  const cause = (err as { cause?: { type?: string; name?: string } })?.cause;
  return cause?.type ?? cause?.name ?? (err as Error)?.name ?? 'error';
}
