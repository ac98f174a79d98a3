import type { LuccaPermitAsk } from './lucca-budget-contract';

/**
 * What the budget workflow accepts from a message, checked before anything changes (workflow-safe,
 * no imports). A signal's arguments are never trusted: a message without payload skips the codec's
 * strict decoding, and a sealed one may come from anyone who could seal it.
 */

/**
 * The longest pause one `pause` signal can ask for. Lucca documents a 60-second window of 50
 * requests per domain (reference/lucca-api.md §5): a Retry-After longer than the whole window is not
 * one Lucca sends, so a longer ask is cut to it; the next 429 pauses again.
 */
export const MAX_LUCCA_PAUSE_MS = 60_000;
/** The widest sliding window a budget accepts at start (Lucca's is 60 s; ours adds a margin). */
export const MAX_BUDGET_WINDOW_MS = 120_000;
/** Lucca allows 50 per minute; configs are validated to at most that. */
export const MAX_REQUESTS_PER_MINUTE = 50;
const MAX_HOLDER_LENGTH = 100;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isWholeNumber = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/** The pause to apply, cut to `MAX_LUCCA_PAUSE_MS`; undefined for anything that is not a pause. */
export function pauseOf(message: unknown): number | undefined {
  if (!isRecord(message)) return undefined;
  const { forMs } = message;
  if (typeof forMs !== 'number' || !Number.isFinite(forMs) || forMs < 0) return undefined;
  return Math.min(Math.ceil(forMs), MAX_LUCCA_PAUSE_MS);
}

/** The permit to give back; undefined for anything that is not one. */
export function returnedPermitOf(message: unknown): number | undefined {
  if (!isRecord(message) || !isWholeNumber(message.permitId, 1, Number.MAX_SAFE_INTEGER)) return undefined;
  return message.permitId;
}

/** Update validator of `acquirePermit`: throws (the update is rejected before history) unless it is a well-formed ask. */
export function validatePermitAsk(ask: unknown): asserts ask is LuccaPermitAsk {
  if (!isRecord(ask)) throw new Error('acquirePermit needs { perMinute, holder }');
  if (!isWholeNumber(ask.perMinute, 1, MAX_REQUESTS_PER_MINUTE))
    throw new Error(`acquirePermit: perMinute must be a whole number from 1 to ${MAX_REQUESTS_PER_MINUTE}`);
  if (typeof ask.holder !== 'string' || ask.holder.length === 0 || ask.holder.length > MAX_HOLDER_LENGTH)
    throw new Error('acquirePermit: holder must be a short non-empty string');
}

/** The budget's start input; a problem is returned as one line (no value quoted). */
export function budgetInputProblem(input: unknown): string | undefined {
  if (!isRecord(input)) return 'the budget needs { domainKey, perMinute, windowMs }';
  if (typeof input.domainKey !== 'string' || input.domainKey.length === 0 || input.domainKey.length > 300)
    return 'domainKey must be a non-empty string';
  if (!isWholeNumber(input.perMinute, 1, MAX_REQUESTS_PER_MINUTE))
    return `perMinute must be a whole number from 1 to ${MAX_REQUESTS_PER_MINUTE}`;
  if (!isWholeNumber(input.windowMs, 1_000, MAX_BUDGET_WINDOW_MS)) return `windowMs must be from 1,000 to ${MAX_BUDGET_WINDOW_MS}`;
  if (input.carried !== undefined && !isRecord(input.carried)) return 'carried must be a ledger';
  return undefined;
}
