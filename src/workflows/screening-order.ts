import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
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
  type OrderState,
  type ScreeningOrderInput,
  type ScreeningOrderResult,
  type ScreeningOutcome,
  type StatusHistoryEntry,
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
const { getScreeningDossier, cancelScreeningDossier } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes', maximumAttempts: 30 },
});

const WRITE_BACK_PAUSE_MAX_MS = 60 * 60 * 1000;

/**
 * One Aequivalent screening order for one employee and one Lucca status value, from the HR file
 * to the report: read + validate → create the dossier (idempotent) → write "created" back to Lucca
 * (retried until done) → hand the files over → follow the dossier through webhooks, with polling
 * as a fallback, until it ends. The workflow id is the dossier's externalReference.
 */
export async function screeningOrder(input: ScreeningOrderInput): Promise<ScreeningOrderResult> {
  const workflowId = workflowInfo().workflowId;
  const state: OrderState = { stage: 'reading', problems: [], history: [], filesTransferred: 0, writeBackFailures: 0, signalsApplied: 0, signalsIgnored: 0, polls: 0 };
  const seenEvents = new Set<string>();
  const inbox: DossierStatusChangedSignal[] = [];
  let cancelRequest: CancelOrderRequest | undefined;
  let current: DossierStatusName | undefined;
  let finalResult: DossierResultName | null = null;
  let mirrored: DossierStatusName | undefined;

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

  upsertSearchAttributes([
    { key: TENANT_ID, value: input.tenantId },
    { key: CONNECTOR, value: SCREENING_CONNECTOR },
    { key: EMPLOYEE_ID, value: String(input.luccaId) },
  ]);
  setStage('reading', 'Reading the candidate and the Background check section in Lucca');

  // (a) read and validate
  const prepared = await prepareScreeningOrder({ tenantId: input.tenantId, luccaId: input.luccaId, orderKey: input.orderKey, externalReference: workflowId });
  if (prepared.kind === 'cancelled-by-hr') {
    log.info('screening order no longer requested in Lucca', { tenantId: input.tenantId, luccaId: input.luccaId, reason: prepared.reason });
    state.problems.push({ code: prepared.reason, field: 'orderStatus', message: 'The order status in Lucca is no longer "to order" for this request: nothing was ordered.' });
    return finish('cancelled-by-hr');
  }
  if (prepared.kind === 'invalid') {
    state.problems.push(...prepared.problems);
    await raiseAlert({ kind: 'order-invalid', tenantId: input.tenantId, runId: workflowId, luccaId: input.luccaId, problems: prepared.problems });
    return finish('invalid');
  }
  state.problems.push(...prepared.warnings);
  if (cancelRequest) return finish('cancelled');
  const pollMs = Math.max(1_000, Math.round(prepared.pollIntervalMinutes * 60_000));

  // (b) create, idempotently: a retry or a re-run of this order gets the same dossier back
  setStage('ordering', 'Creating the dossier at Aequivalent');
  const created = await createScreeningDossier({ tenantId: input.tenantId, request: prepared.request, idempotencyKey: dossierIdempotencyKey(input) });
  state.dossierId = created.dossierId;
  applySnapshot(created, 'create');

  // (d) write-back, before anything else can fail: Lucca must show the order is placed
  setStage('writing-back', 'Writing the "dossier created" status back to Lucca');
  await writeUntilDone(prepared.target, prepared.target.createdEntryId, 'created');

  // (c) files: streamed by the activity, never through this workflow
  if (prepared.files.length > 0) {
    setStage('transferring-files', `Transferring ${prepared.files.length} file(s) to Aequivalent`);
    try {
      const { transferred } = await transferScreeningFiles({
        tenantId: input.tenantId,
        luccaId: input.luccaId,
        dossierId: created.dossierId,
        keyPrefix: dossierIdempotencyKey(input),
        files: prepared.files,
      });
      state.filesTransferred = transferred;
    } catch (err) {
      // The dossier exists: a file that cannot be handed over is reported, the order goes on.
      state.problems.push({ code: 'file_transfer_failed', field: 'files', message: `Some files could not be transferred to Aequivalent (${failureType(err)}); send them manually.` });
    }
  }

  // (e) follow the lifecycle
  while (!isFinal()) {
    setStage('following', `Following dossier ${created.dossierId}: ${current ?? 'created'}`);
    const woken = await condition(() => inbox.length > 0 || cancelRequest !== undefined, pollMs);
    if (cancelRequest) {
      setStage('cancelling', `Cancelling dossier ${created.dossierId}`);
      try {
        applySnapshot(await cancelScreeningDossier({ tenantId: input.tenantId, dossierId: created.dossierId }), 'cancel');
      } catch (err) {
        // Already finished at Aequivalent (409): its real final state wins.
        log.warn('dossier cancellation refused', { dossierId: created.dossierId, failure: failureType(err) });
        applySnapshot(await getScreeningDossier({ tenantId: input.tenantId, dossierId: created.dossierId }), 'poll');
      }
      break;
    }
    if (!woken) {
      state.polls += 1;
      applySnapshot(await getScreeningDossier({ tenantId: input.tenantId, dossierId: created.dossierId }), 'poll');
    }
    while (inbox.length > 0) {
      const event = inbox.shift()!;
      if (event.dossierId !== created.dossierId) {
        state.signalsIgnored += 1;
        continue;
      }
      if (apply(event.status, event.result, event.occurredAt, 'webhook')) state.signalsApplied += 1;
      else state.signalsIgnored += 1;
    }
    await mirror(prepared.target);
  }
  const outcome = outcomeOf();
  if (current === 'report_available') await raiseAlert({ kind: 'order-result-available', tenantId: input.tenantId, runId: workflowId, luccaId: input.luccaId, dossierId: created.dossierId });
  return finish(outcome);

  // ---- helpers (closures over the state above)

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
  async function mirror(target: StatusWriteTarget): Promise<void> {
    if (current === undefined || current === mirrored) return;
    const entryId = target.mirrorEntryIds[current];
    if (entryId === undefined) return;
    const status = current;
    await writeUntilDone(target, entryId, status);
    mirrored = status;
  }

  /**
   * Lucca may refuse writes for a while (rate limit, outage, a key that lost a right): the order is
   * already placed, so we keep trying, with pauses up to an hour, and never order again.
   */
  async function writeUntilDone(target: StatusWriteTarget, entryId: number, what: string): Promise<void> {
    // Same cadence as the polling at first (hours in production), doubling up to an hour.
    for (let pauseMs = Math.min(pollMs, WRITE_BACK_PAUSE_MAX_MS); ; pauseMs = Math.min(pauseMs * 2, WRITE_BACK_PAUSE_MAX_MS)) {
      try {
        await writeScreeningStatus({ tenantId: input.tenantId, luccaId: input.luccaId, statusValueId: target.statusValueId, entryId });
        return;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        state.writeBackFailures += 1;
        if (state.writeBackFailures === 1) await raiseAlert({ kind: 'write-back-blocked', tenantId: input.tenantId, runId: workflowId, luccaId: input.luccaId, dossierId: state.dossierId ?? '-', failure: failureType(err), attempts: state.writeBackFailures });
        // A refused write is the one right `tenants check` cannot see without writing: say what to fix.
        const fix = failureType(err) === 'LuccaPermissionError' ? ` — ${advice.writeSection('Background check')}` : '';
        setCurrentDetails(`Lucca write-back (${what}) blocked: ${failureType(err)}; next try in ${Math.round(pauseMs / 1000)} s${fix}`);
        log.warn('Lucca write-back failed; will retry', { tenantId: input.tenantId, luccaId: input.luccaId, failure: failureType(err) });
        await sleep(pauseMs);
      }
    }
  }
}

function failureType(err: unknown): string {
  const cause = (err as { cause?: { type?: string; name?: string } })?.cause;
  return cause?.type ?? cause?.name ?? (err as Error)?.name ?? 'error';
}
