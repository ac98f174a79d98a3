import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/**
 * One `luccaRequestBudget` workflow per Lucca domain hands out request permits to every activity of
 * every worker process: Lucca's 50 requests/minute are per customer domain, so the budget must be
 * shared across connectors and processes, and Temporal is the one place they all share.
 *
 * Every duration crossing the wire is relative (milliseconds from now), never a wall-clock time:
 * the budget workflow reads the server's clock, a worker measures with its own monotonic clock, so
 * the two clocks never have to agree.
 */
export const LUCCA_REQUEST_BUDGET = 'luccaRequestBudget';

/**
 * A little over Lucca's 60 s: a permit may be used up to `LATE_PERMIT_TOLERANCE_MS` after its slot
 * (event-loop stall, network), and Lucca counts the request when it arrives.
 */
export const LUCCA_BUDGET_WINDOW_MS = 63_000;
/** A permit used later than this after its slot is returned unused and asked again. */
export const LATE_PERMIT_TOLERANCE_MS = 1_500;

export interface LuccaBudgetInput {
  domainKey: string;
  perMinute: number;
  windowMs: number;
  /** Ledger carried over continue-as-new (reservations still inside the window, relative). */
  carried?: CarriedLedger;
}

/** The ledger across continue-as-new, in times relative to the moment it was written. */
export interface CarriedLedger {
  reservedInMs: Array<{ id: number; inMs: number; holder: string }>;
  pausedForMs: number;
  /** `requestsPerMinute` values asked for recently: the lowest one applies. */
  limits: Array<{ perMinute: number; agoMs: number }>;
  nextPermitId: number;
}

/** Who asks: the configured limit (a lowered one applies at once) and a fairness key (connector). */
export interface LuccaPermitAsk {
  perMinute: number;
  holder: string;
  /**
   * `background` (change-feed polls): served only from an idle half of the window, never ahead of a
   * waiting run, so polling cannot slow a daily run down. Absent: a normal ask.
   */
  priority?: 'background';
}

/** Workflow types whose Lucca requests ask with the `background` priority. */
export const BACKGROUND_LUCCA_HOLDERS: readonly string[] = ['luccaChangeFeed'];

/**
 * Either a reserved slot `waitMs` from now (send then; return it if it cannot be used in time), or
 * nothing reserved and a hint to ask again in `retryInMs`. Updates thus complete at once: the server
 * allows only a few in flight per workflow.
 */
export type LuccaPermit = { permitId: number; waitMs: number } | { retryInMs: number };

export interface LuccaBudgetState {
  domainKey: string;
  /** The limit in force: the lowest `requestsPerMinute` asked with in the last minute. */
  perMinute: number;
  reservedInWindow: number;
  pausedForMs: number;
  totalGranted: number;
  totalReturned: number;
  grantedByHolder: Record<string, number>;
}

export const acquireLuccaPermitUpdate = defineUpdate<LuccaPermit, [LuccaPermitAsk]>('acquirePermit');
/** Lucca answered 429 + Retry-After: nobody sends for `forMs`. */
export const pauseLuccaBudgetSignal = defineSignal<[{ forMs: number }]>('pause');
/** A permit that could not be used in time (stalled process, cancelled activity): its slot is free again. */
export const returnLuccaPermitSignal = defineSignal<[{ permitId: number }]>('returnPermit');
export const luccaBudgetStateQuery = defineQuery<LuccaBudgetState>('state');

/**
 * Workflow ids carry no secret and no personal data: the Lucca domain is the customer's host.
 * `v2`: permits became relative; a v1 budget still running elsewhere never receives v2 asks.
 */
export function luccaBudgetWorkflowId(domainKey: string): string {
  return `lucca-request-budget/v2/${domainKey}`;
}

/** `https://acme.ilucca.net/` → `acme.ilucca.net`; path kept for sandboxes serving several domains. */
export function luccaDomainKey(baseUrl: string): string {
  return baseUrl
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}
