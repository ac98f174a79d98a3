import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OperatorIdentity } from '../../shared/operator-identity';

/**
 * What the intake workflow, the order workflow, their activities, the webhook signaller and the
 * client agree on for Aequivalent screening orders. Workflow-safe: no Node or HTTP imports.
 * Only opaque ids travel in ids, search attributes and queries; personal data stays in (encrypted)
 * activity payloads and never in `orderState`.
 */
export const SCREENING_INTAKE = 'screeningIntake';
export const SCREENING_ORDER = 'screeningOrder';
export const AEQUIVALENT_SCREENING_CONNECTOR = 'aequivalent-screening' as const;

export interface ScreeningIntakeInput {
  tenantId: string;
  /** Informational (YYYY-MM-DD, tenant time zone); the intake always reads Lucca as it is now. */
  runDate?: string;
}

export interface ScreeningOrderInput {
  tenantId: string;
  luccaId: number;
  /** The value id of the employee's order-status value ("Dossier à commander") in Lucca. */
  orderKey: string;
}

/**
 * What a placed order carries over continue-as-new: only what following the dossier needs (no
 * personal data, a bounded window of webhook event ids).
 */
export interface OrderFollowUp {
  dossierId: string;
  target: { statusValueId: number; createdEntryId: number; mirrorEntryIds: Partial<Record<DossierStatusName, number>> };
  pollMs: number;
  /** Epoch ms after which the order stops following. */
  deadlineAtMs: number;
  writeBackAlertMs: number;
  state: OrderState;
  current?: DossierStatusName;
  finalResult: DossierResultName | null;
  mirrored?: DossierStatusName;
  /** The most recent webhook event ids (redeliveries are deduplicated within this window). */
  seenEventIds: string[];
  inbox: DossierStatusChangedSignal[];
  cancelRequest?: CancelOrderRequest;
}

/** Webhook event ids remembered across continue-as-new (redeliveries come within hours, not thousands of events). */
export const SEEN_EVENT_WINDOW = 200;

/** One employee whose order status is "to order", as found by the intake (no personal data). */
export interface OrderCandidate {
  luccaId: number;
  /** Value id of the order-status value, as a string (it becomes part of the workflow id). */
  statusValueId: string;
}

export type IntakeRefusalReason =
  /** The order for this status value ended after a dossier was placed; a new request needs a new status value. */
  | 'order-already-placed'
  /** The previous run for this key failed, timed out, was terminated or cancelled: an operator decides. */
  | 'previous-run-failed'
  | 'previous-run-timed-out'
  | 'previous-run-terminated'
  | 'previous-run-cancelled'
  | 'previous-run-unknown'
  /**
   * No workflow history for this key any more (namespace retention, deletion), but Aequivalent has a
   * dossier with this order id as its externalReference: the order was placed; it is never placed again.
   */
  | 'dossier-exists-at-aequivalent';

export interface IntakeStartReport {
  started: string[];
  /** Re-runs of a key whose previous run ended without placing anything (invalid data, HR reset). */
  restarted: string[];
  joined: string[];
  refused: Array<{ workflowId: string; reason: IntakeRefusalReason; /** The dossier found at Aequivalent, if any. */ dossierId?: string }>;
}

/** An employee asking for an order whom the intake does not order (Lucca lists them as former). */
export interface IntakeSkip {
  luccaId: number;
  reason: 'employee-left';
}

export interface ScreeningIntakeResult extends IntakeStartReport {
  tenantId: string;
  /** Asking for an order but not ordered (absent in results of older runs). */
  skipped?: IntakeSkip[];
  runDate?: string;
  /** Employees with the "to order" status. */
  candidates: number;
  /** Employees read from Lucca (pages of 1000). */
  scanned: number;
  luccaRequests: number;
}

export type ScreeningOutcome =
  | 'compliant'
  | 'attention_points'
  | 'non_compliant'
  | 'consent_refused'
  | 'expired'
  | 'cancelled'
  | 'cancelled-by-hr'
  | 'invalid'
  /** report_available without a result: a vendor contract breach, reported as is. */
  | 'result_missing'
  /** Still not final `followUpDeadlineDays` after the dossier was placed: an operator looks at the dossier. */
  | 'follow-up-deadline';

/**
 * Background-check results and how an order ended: sensitive, so they live only in the encrypted
 * workflow result and query answers, never in search attributes or memos (those are stored in clear).
 */
export const SCREENING_OUTCOMES: readonly ScreeningOutcome[] = [
  'compliant',
  'attention_points',
  'non_compliant',
  'consent_refused',
  'expired',
  'cancelled',
  'cancelled-by-hr',
  'invalid',
  'result_missing',
];

/** Outcomes reached without a dossier: the intake may re-run the same key. */
export const OUTCOMES_WITHOUT_DOSSIER: readonly ScreeningOutcome[] = ['invalid', 'cancelled-by-hr'];

/** Mirrors `ScreeningProblem` of the domain (kept here so workflows import no domain code). */
export interface OrderProblem {
  code: string;
  /** Logical field, plus the tenant's Lucca code when the field lives in the Background check section. */
  field: string;
  luccaCode?: string;
  message: string;
}

export type OrderStage =
  | 'reading'
  | 'ordering'
  | 'writing-back'
  | 'transferring-files'
  | 'following'
  /** The Lucca write-back has failed for longer than `writeBackAlertHours` (still retried). */
  | 'write-back-blocked'
  | 'cancelling'
  | 'completed';

/** Dossier statuses as Aequivalent sends them (see aequivalent-schemas; duplicated to stay workflow-safe). */
export type DossierStatusName =
  'created' | 'candidate_invited' | 'consent_given' | 'consent_refused' | 'in_progress' | 'report_available' | 'expired' | 'cancelled';
export type DossierResultName = 'compliant' | 'attention_points' | 'non_compliant';

export interface StatusHistoryEntry {
  status: DossierStatusName;
  /** When Aequivalent says it happened (event `occurredAt` or dossier history). */
  at: string;
  source: 'create' | 'webhook' | 'poll' | 'cancel';
}

export interface OrderState {
  stage: OrderStage;
  dossierId?: string;
  outcome?: ScreeningOutcome;
  problems: OrderProblem[];
  history: StatusHistoryEntry[];
  /** Files handed over to Aequivalent so far. */
  filesTransferred: number;
  /** Write-back attempts that failed (the order keeps waiting, it is never placed twice). */
  writeBackFailures: number;
  /** Webhook events applied / ignored as duplicates or for another dossier. */
  signalsApplied: number;
  signalsIgnored: number;
  polls: number;
  /** Polls and cancellations that failed (Aequivalent down, dossier not found): logged, the order goes on. */
  followUpFailures: number;
  /** Runs of this order so far (continue-as-new keeps the history small). */
  continuedAsNew: number;
  /** Who cancelled the order (configured identities), when it was cancelled through `cancelOrder`. */
  cancelledBy?: OperatorIdentity & { reason?: string };
}

/** An order's state before anything happened (its counters at zero); `stage` and what is known come on top. */
export function initialOrderState(): OrderState {
  return {
    stage: 'reading',
    problems: [],
    history: [],
    filesTransferred: 0,
    writeBackFailures: 0,
    signalsApplied: 0,
    signalsIgnored: 0,
    polls: 0,
    followUpFailures: 0,
    continuedAsNew: 0,
  };
}

export interface ScreeningOrderResult {
  outcome: ScreeningOutcome;
  dossierId?: string;
  cancelledBy?: OperatorIdentity & { reason?: string };
  problems?: OrderProblem[];
}

/** Sent by the webhook signaller for each verified Aequivalent event. */
export interface DossierStatusChangedSignal {
  eventId: string;
  dossierId: string;
  status: DossierStatusName;
  result: DossierResultName | null;
  occurredAt: string;
}

export const orderStateQuery = defineQuery<OrderState>('orderState');
export const dossierStatusChangedSignal = defineSignal<[DossierStatusChangedSignal]>('dossierStatusChanged');
/** Cancels the order: the dossier is cancelled at Aequivalent (or never placed if not yet created). */
export const cancelOrderUpdate = defineUpdate<OrderState, [CancelOrderRequest]>('cancelOrder');

/** Who cancels (configured identities, see OperatorIdentity) and why. */
export interface CancelOrderRequest extends OperatorIdentity {
  reason?: string;
}

const ORDER_PREFIX = 'screening-order';

/** Deterministic id of one order: tenant, Lucca user id, order-status value id. No personal data. */
export function screeningOrderWorkflowId(tenantId: string, luccaId: number, orderKey: string): string {
  return `${ORDER_PREFIX}/${tenantId}/${luccaId}/${orderKey}`;
}

/** The inverse of `screeningOrderWorkflowId`; undefined for anything else (e.g. a forged reference). */
export function parseScreeningOrderWorkflowId(workflowId: string): ScreeningOrderInput | undefined {
  const match = /^screening-order\/([a-z0-9][a-z0-9-]{0,62})\/(\d{1,12})\/([A-Za-z0-9._-]{1,40})$/.exec(workflowId);
  if (!match) return undefined;
  return { tenantId: match[1]!, luccaId: Number(match[2]), orderKey: match[3]! };
}

/** One intake per tenant and day (the schedule adds its own timestamp suffix). */
export function screeningIntakeWorkflowId(tenantId: string, runDate: string): string {
  return `screening-intake/${tenantId}/${runDate}`;
}

/** Idempotency key of the dossier creation: stable across retries and re-runs of the same order. */
export function dossierIdempotencyKey(input: ScreeningOrderInput): string {
  return `${input.tenantId}:order:${input.luccaId}:${input.orderKey}`;
}
