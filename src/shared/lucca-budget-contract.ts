import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/**
 * One `luccaRequestBudget` workflow per Lucca domain hands out request permits to every activity of
 * every worker process: Lucca's 50 requests/minute are per customer domain, so the budget must be
 * shared across connectors and processes, and Temporal is the one place they all share.
 */
export const LUCCA_REQUEST_BUDGET = 'luccaRequestBudget';

export interface LuccaBudgetInput {
  domainKey: string;
  perMinute: number;
  /** A little over 60 s, so a permit never lands in Lucca's window of the previous minute. */
  windowMs: number;
  /** Reservations still inside the window, carried over continue-as-new. */
  grantedAt?: number[];
  pausedUntil?: number;
}

export interface LuccaBudgetState {
  domainKey: string;
  perMinute: number;
  grantedInWindow: number;
  pausedUntil: number;
  totalGranted: number;
}

/**
 * A permit is a reserved send time (`at`, epoch ms) the caller waits for; when the next free slot is
 * too far ahead the budget reserves nothing and says when to ask again. Updates thus complete at
 * once: the server allows only a few in flight per workflow.
 */
export type LuccaPermit = { at: number } | { retryAt: number };
export const acquireLuccaPermitUpdate = defineUpdate<LuccaPermit, []>('acquirePermit');
/** Lucca answered 429 + Retry-After: nobody sends before then. */
export const pauseLuccaBudgetSignal = defineSignal<[{ untilMs: number }]>('pause');
export const luccaBudgetStateQuery = defineQuery<LuccaBudgetState>('state');

/** Workflow ids carry no secret and no personal data: the Lucca domain is the customer's host. */
export function luccaBudgetWorkflowId(domainKey: string): string {
  return `lucca-request-budget/${domainKey}`;
}

/** `https://acme.ilucca.net/` → `acme.ilucca.net`; path kept for sandboxes serving several domains. */
export function luccaDomainKey(baseUrl: string): string {
  return baseUrl.replace(/^https?:\/\//i, '').replace(/\/+$/, '').toLowerCase();
}
