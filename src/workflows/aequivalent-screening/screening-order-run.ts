import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { DossierSnapshot } from '../../activities/aequivalent-screening/screening-order-activities';
import {
  isFinal,
  outcomeOf,
  recordReading,
  recordStatus,
  type DossierTracking,
} from '../../connectors/aequivalent-screening/domain/dossier-tracking';
import { dossierStatusEventOf, FINAL_DOSSIER_STATUSES } from '../../connectors/aequivalent-screening/domain/dossier-status-message';
import { provenIdentity } from '../../shared/operator-identity';
import { requireOperatorProof } from '../../shared/operator-proof';
import {
  cancelOrderUpdate,
  dossierStatusChangedSignal,
  initialOrderState,
  orderStateQuery,
  SEEN_EVENT_WINDOW,
  type CancelOrderRequest,
  type DossierResultName,
  type DossierStatusChangedSignal,
  type DossierStatusName,
  type OrderFollowUp,
  type OrderState,
  type ScreeningOrderInput,
  type ScreeningOrderResult,
  type ScreeningOutcome,
  type StatusHistoryEntry,
} from '../../connectors/aequivalent-screening/contract';
import { RUN_STATE } from '../../shared/search-attributes';

/** Orders that took final states from webhooks before the confirming read replay as they ran. */
export const CONFIRM_FINAL_STATUS_PATCH = 'screening-order-confirm-final-status';

/** What a placed order follows: its dossier, where to write in Lucca, and its cadence and deadline. */
export type PlacedOrder = Pick<OrderFollowUp, 'dossierId' | 'target' | 'pollMs' | 'deadlineAtMs' | 'writeBackAlertMs'>;

/**
 * One order's memory while its workflow runs: the state the UI and the intake read, the webhooks
 * waiting to be applied, a cancellation request, and the dossier as tracked by the pure state
 * machine in `domain/aequivalent-screening/dossier-tracking` (what is carried over continue-as-new).
 */
export class ScreeningOrderRun {
  readonly workflowId = workflowInfo().workflowId;
  readonly state: OrderState;
  readonly inbox: DossierStatusChangedSignal[];
  cancelRequest?: CancelOrderRequest;
  mirrored?: DossierStatusName;
  private readonly seenEvents: Set<string>;
  private readonly usedNonces = new Set<string>();
  private dossier: DossierTracking;

  constructor(
    readonly input: ScreeningOrderInput,
    carried?: OrderFollowUp,
  ) {
    this.state = carried?.state ?? initialOrderState();
    this.seenEvents = new Set(carried?.seenEventIds ?? []);
    this.inbox = carried?.inbox ?? [];
    this.cancelRequest = carried?.cancelRequest;
    this.mirrored = carried?.mirrored;
    this.dossier = { current: carried?.current, result: carried?.finalResult ?? null, history: this.state.history };
  }

  /** The state query, the dossier webhooks (as signals) and the operator's cancel update. */
  acceptMessages(): void {
    setHandler(orderStateQuery, () => this.state);
    setHandler(dossierStatusChangedSignal, (message) => {
      const event = dossierStatusEventOf(message);
      if (!event) {
        // Dropped, never thrown: a failing handler would fail the order's tasks. Content is not logged.
        log.warn('malformed signal dropped', { signal: 'dossierStatusChanged' });
        this.state.signalsIgnored += 1;
        return;
      }
      // Aequivalent delivers at least once: the event id makes a redelivery a no-op.
      if (this.seenEvents.has(event.eventId)) {
        this.state.signalsIgnored += 1;
        return;
      }
      this.seenEvents.add(event.eventId);
      this.inbox.push(event);
    });
    setHandler(cancelOrderUpdate, (request) => this.requestCancel(request), {
      validator: (request: CancelOrderRequest) => this.validateCancel(request),
    });
  }

  /** The operator the proof names is recorded (the validator has checked it), never a typed name. */
  private requestCancel(request: CancelOrderRequest): OrderState {
    const { by, key, nonce } = provenIdentity(request);
    if (nonce) this.usedNonces.add(nonce);
    const cancelledBy = {
      by,
      client: request.client,
      ...(key ? { key } : {}),
      ...(request.reason !== undefined ? { reason: request.reason } : {}),
    };
    this.cancelRequest = cancelledBy;
    this.state.cancelledBy = cancelledBy;
    return this.state;
  }

  /** Before the update is accepted: a proof signed for this order's run, fresh, unused. */
  private validateCancel(request: CancelOrderRequest): void {
    requireOperatorProof(request, { command: 'cancelOrder', runId: workflowInfo().runId, nowMs: Date.now(), usedNonces: this.usedNonces });
    if (this.state.outcome !== undefined || this.cancelRequest !== undefined)
      throw new Error(`the order is already ${this.state.outcome ?? 'being cancelled'}`);
  }

  setStage(stage: OrderState['stage'], details: string): void {
    this.state.stage = stage;
    upsertSearchAttributes([{ key: RUN_STATE, value: stage }]);
    setCurrentDetails(details);
  }

  async finish(outcome: ScreeningOutcome): Promise<ScreeningOrderResult> {
    const { state } = this;
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
  }

  /** What the next run of the order starts from after continue-as-new. */
  continuation(placed: PlacedOrder): OrderFollowUp {
    const seenEventIds = [...this.seenEvents].slice(-SEEN_EVENT_WINDOW);
    const { current, result: finalResult } = this.dossier;
    return {
      ...placed,
      state: this.state,
      current,
      finalResult,
      mirrored: this.mirrored,
      seenEventIds,
      inbox: this.inbox,
      cancelRequest: this.cancelRequest,
    };
  }

  get current(): DossierStatusName | undefined {
    return this.dossier.current;
  }

  isFinal(): boolean {
    return isFinal(this.dossier);
  }

  outcome(): ScreeningOutcome {
    const outcome = outcomeOf(this.dossier);
    if (!outcome) throw ApplicationFailure.nonRetryable(`unreachable: dossier not final (${this.current ?? 'none'})`, 'ScreeningOrderBug');
    return outcome;
  }

  /** Records a status; returns whether anything changed (webhooks arrive late, twice, out of order). */
  applyStatus(status: DossierStatusName, result: DossierResultName | null, at: string, source: StatusHistoryEntry['source']): boolean {
    const { tracking, changed } = recordStatus(this.dossier, { status, result, at, source });
    this.track(tracking);
    return changed;
  }

  /** A full dossier read fills in states whose webhooks were missed, in their order. */
  applySnapshot(snapshot: DossierSnapshot, source: StatusHistoryEntry['source']): void {
    this.track(recordReading(this.dossier, snapshot, source));
  }

  /**
   * Applies the webhooks received since the last look; events about another dossier are ignored.
   * A final status is never taken from a webhook (a leaked webhook secret must not decide a result):
   * it only asks for a read of the dossier — returns true — whose answer decides.
   */
  drainInbox(dossierId: string): boolean {
    let confirm = false;
    while (this.inbox.length > 0) {
      const event = this.inbox.shift()!;
      if (
        event.dossierId === dossierId &&
        FINAL_DOSSIER_STATUSES.has(event.status) &&
        !this.isFinal() &&
        patched(CONFIRM_FINAL_STATUS_PATCH)
      ) {
        confirm = true;
        this.state.signalsApplied += 1;
        continue;
      }
      const applied = event.dossierId === dossierId && this.applyStatus(event.status, event.result, event.occurredAt, 'webhook');
      if (applied) this.state.signalsApplied += 1;
      else this.state.signalsIgnored += 1;
    }
    return confirm;
  }

  private track(next: DossierTracking): void {
    this.dossier = next;
    this.state.history = next.history;
  }
}
