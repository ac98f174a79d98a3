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
import type { DossierSnapshot, PreparedOrder, StatusWriteTarget } from '../activities/screening-order-activities';
import { isFinal, outcomeOf, recordReading, recordStatus, startTracking, type DossierTracking } from '../domain/screening/dossier-tracking';
import {
  cancelOrderUpdate,
  dossierIdempotencyKey,
  dossierStatusChangedSignal,
  orderStateQuery,
  SCREENING_CONNECTOR,
  type DossierStatusChangedSignal,
  type DossierStatusName,
  type OrderState,
  type ScreeningOrderInput,
  type ScreeningOrderResult,
  type ScreeningOutcome,
  type StatusHistoryEntry,
} from '../shared/screening-order-contract';
import { CONNECTOR, EMPLOYEE_ID, RUN_STATE, TENANT_ID } from '../shared/search-attributes';

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

type ReadyOrder = Extract<PreparedOrder, { kind: 'ready' }>;
type CancelRequest = { by: string; reason?: string };

/**
 * One Aequivalent screening order for one employee and one Lucca status value, from the HR file
 * to the report: read + validate → create the dossier (idempotent) → write "created" back to Lucca
 * (retried until done) → hand the files over → follow the dossier through webhooks, with polling
 * as a fallback, until it ends. The workflow id is the dossier's externalReference.
 */
export async function screeningOrder(input: ScreeningOrderInput): Promise<ScreeningOrderResult> {
  const order = new OrderRun(input, workflowInfo().workflowId);
  order.listen();
  return order.run();
}

/** The state of one order run and its steps; the dossier's own state machine is domain/screening/dossier-tracking. */
class OrderRun {
  readonly state: OrderState = { stage: 'reading', problems: [], history: [], filesTransferred: 0, writeBackFailures: 0, signalsApplied: 0, signalsIgnored: 0, polls: 0 };
  private tracking: DossierTracking = startTracking();
  private readonly seenEvents = new Set<string>();
  private readonly inbox: DossierStatusChangedSignal[] = [];
  private cancelRequest: CancelRequest | undefined;
  private mirrored: DossierStatusName | undefined;
  private pollMs = 0;

  constructor(
    private readonly input: ScreeningOrderInput,
    private readonly workflowId: string,
  ) {}

  listen(): void {
    setHandler(orderStateQuery, () => this.state);
    setHandler(dossierStatusChangedSignal, (event) => {
      // Aequivalent delivers at least once: the event id makes a redelivery a no-op.
      if (this.seenEvents.has(event.eventId)) {
        this.state.signalsIgnored += 1;
        return;
      }
      this.seenEvents.add(event.eventId);
      this.inbox.push(event);
    });
    const validator = (_request: CancelRequest) => {
      if (this.state.outcome !== undefined || this.cancelRequest !== undefined) throw new Error(`the order is already ${this.state.outcome ?? 'being cancelled'}`);
    };
    const cancel = (request: CancelRequest) => {
      this.cancelRequest = request;
      return this.state;
    };
    setHandler(cancelOrderUpdate, cancel, { validator });
  }

  async run(): Promise<ScreeningOrderResult> {
    const { tenantId, luccaId, orderKey } = this.input;
    upsertSearchAttributes([
      { key: TENANT_ID, value: tenantId },
      { key: CONNECTOR, value: SCREENING_CONNECTOR },
      { key: EMPLOYEE_ID, value: String(luccaId) },
    ]);
    this.setStage('reading', 'Reading the candidate and the Background check section in Lucca');
    const prepared = await prepareScreeningOrder({ tenantId, luccaId, orderKey, externalReference: this.workflowId });
    if (prepared.kind !== 'ready') return this.finish(this.notPlaced(prepared));
    this.state.problems.push(...prepared.warnings);
    if (this.cancelRequest) return this.finish('cancelled');
    this.pollMs = Math.max(1_000, Math.round(prepared.pollIntervalMinutes * 60_000));

    const dossierId = await this.place(prepared);
    // Write-back before anything else can fail: Lucca must show the order is placed.
    this.setStage('writing-back', 'Writing the "dossier created" status back to Lucca');
    await this.writeUntilDone(prepared.target, prepared.target.createdEntryId, 'created');
    await this.transferFiles(prepared, dossierId);
    await this.follow(prepared.target, dossierId);
    const outcome = outcomeOf(this.tracking);
    if (!outcome) throw ApplicationFailure.nonRetryable(`unreachable: dossier not final (${this.tracking.current ?? 'none'})`, 'ScreeningOrderBug');
    return this.finish(outcome);
  }

  /** Nothing placed: the data is invalid, or HR no longer asks for this order. */
  private notPlaced(prepared: Exclude<PreparedOrder, ReadyOrder>): ScreeningOutcome {
    if (prepared.kind === 'invalid') {
      this.state.problems.push(...prepared.problems);
      return 'invalid';
    }
    log.info('screening order no longer requested in Lucca', { tenantId: this.input.tenantId, luccaId: this.input.luccaId, reason: prepared.reason });
    this.state.problems.push({ code: prepared.reason, field: 'orderStatus', message: 'The order status in Lucca is no longer "to order" for this request: nothing was ordered.' });
    return 'cancelled-by-hr';
  }

  /** Creates the dossier idempotently: a retry or a re-run of this order gets the same dossier back. */
  private async place(prepared: ReadyOrder): Promise<string> {
    this.setStage('ordering', 'Creating the dossier at Aequivalent');
    const created = await createScreeningDossier({ tenantId: this.input.tenantId, request: prepared.request, idempotencyKey: dossierIdempotencyKey(this.input) });
    this.state.dossierId = created.dossierId;
    this.read(created, 'create');
    return created.dossierId;
  }

  /** Files are streamed by the activity, never through this workflow. */
  private async transferFiles(prepared: ReadyOrder, dossierId: string): Promise<void> {
    if (prepared.files.length === 0) return;
    this.setStage('transferring-files', `Transferring ${prepared.files.length} file(s) to Aequivalent`);
    try {
      const { tenantId, luccaId } = this.input;
      const { transferred } = await transferScreeningFiles({ tenantId, luccaId, dossierId, keyPrefix: dossierIdempotencyKey(this.input), files: prepared.files });
      this.state.filesTransferred = transferred;
    } catch (err) {
      // The dossier exists: a file that cannot be handed over is reported, the order goes on.
      this.state.problems.push({ code: 'file_transfer_failed', field: 'files', message: `Some files could not be transferred to Aequivalent (${failureType(err)}); send them manually.` });
    }
  }

  /** Webhooks move the dossier on; a poll when none came for a while; a cancel request ends it. */
  private async follow(target: StatusWriteTarget, dossierId: string): Promise<void> {
    const tenantId = this.input.tenantId;
    while (!isFinal(this.tracking)) {
      this.setStage('following', `Following dossier ${dossierId}: ${this.tracking.current ?? 'created'}`);
      const woken = await condition(() => this.inbox.length > 0 || this.cancelRequest !== undefined, this.pollMs);
      if (this.cancelRequest) return this.cancel(dossierId);
      if (!woken) {
        this.state.polls += 1;
        this.read(await getScreeningDossier({ tenantId, dossierId }), 'poll');
      }
      this.drainInbox(dossierId);
      await this.mirror(target);
    }
  }

  private async cancel(dossierId: string): Promise<void> {
    const tenantId = this.input.tenantId;
    this.setStage('cancelling', `Cancelling dossier ${dossierId}`);
    try {
      this.read(await cancelScreeningDossier({ tenantId, dossierId }), 'cancel');
    } catch (err) {
      // Already finished at Aequivalent (409): its real final state wins.
      log.warn('dossier cancellation refused', { dossierId, failure: failureType(err) });
      this.read(await getScreeningDossier({ tenantId, dossierId }), 'poll');
    }
  }

  private drainInbox(dossierId: string): void {
    while (this.inbox.length > 0) {
      const event = this.inbox.shift()!;
      const changed = event.dossierId === dossierId && this.record(event.status, event.result, event.occurredAt);
      if (changed) this.state.signalsApplied += 1;
      else this.state.signalsIgnored += 1;
    }
  }

  private record(status: DossierStatusName, result: DossierStatusChangedSignal['result'], at: string): boolean {
    const { tracking, changed } = recordStatus(this.tracking, { status, result, at, source: 'webhook' });
    this.track(tracking);
    return changed;
  }

  private read(snapshot: DossierSnapshot, source: StatusHistoryEntry['source']): void {
    this.track(recordReading(this.tracking, snapshot, source));
  }

  private track(tracking: DossierTracking): void {
    this.tracking = tracking;
    this.state.history = tracking.history;
  }

  /** Optional mirroring of later dossier states into the Lucca list (`statusLabels.mirror`). */
  private async mirror(target: StatusWriteTarget): Promise<void> {
    const current = this.tracking.current;
    if (current === undefined || current === this.mirrored) return;
    const entryId = target.mirrorEntryIds[current];
    if (entryId === undefined) return;
    await this.writeUntilDone(target, entryId, current);
    this.mirrored = current;
  }

  /**
   * Lucca may refuse writes for a while (rate limit, outage, a key that lost a right): the order is
   * already placed, so we keep trying, with pauses up to an hour, and never order again.
   */
  private async writeUntilDone(target: StatusWriteTarget, entryId: number, what: string): Promise<void> {
    const { tenantId, luccaId } = this.input;
    // Same cadence as the polling at first (hours in production), doubling up to an hour.
    for (let pauseMs = Math.min(this.pollMs, WRITE_BACK_PAUSE_MAX_MS); ; pauseMs = Math.min(pauseMs * 2, WRITE_BACK_PAUSE_MAX_MS)) {
      try {
        await writeScreeningStatus({ tenantId, luccaId, statusValueId: target.statusValueId, entryId });
        return;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        this.state.writeBackFailures += 1;
        setCurrentDetails(`Lucca write-back (${what}) blocked: ${failureType(err)}; next try in ${Math.round(pauseMs / 1000)} s`);
        log.warn('Lucca write-back failed; will retry', { tenantId, luccaId, failure: failureType(err) });
        await sleep(pauseMs);
      }
    }
  }

  private setStage(stage: OrderState['stage'], details: string): void {
    this.state.stage = stage;
    upsertSearchAttributes([{ key: RUN_STATE, value: stage }]);
    setCurrentDetails(details);
  }

  private async finish(outcome: ScreeningOutcome): Promise<ScreeningOrderResult> {
    const state = this.state;
    state.outcome = outcome;
    state.stage = 'completed';
    // The intake reads the outcome here to decide whether the same key may run again.
    upsertSearchAttributes([{ key: RUN_STATE, value: outcome }]);
    setCurrentDetails(`Completed: ${outcome}${state.dossierId ? ` (dossier ${state.dossierId})` : ''}`);
    await condition(allHandlersFinished);
    return { outcome, ...(state.dossierId ? { dossierId: state.dossierId } : {}), ...(state.problems.length > 0 ? { problems: state.problems } : {}) };
  }
}

function failureType(err: unknown): string {
  const cause = (err as { cause?: { type?: string; name?: string } })?.cause;
  return cause?.type ?? cause?.name ?? (err as Error)?.name ?? 'error';
}
