/**
 * What a payload sealed for another workflow or tenant (or forged) decodes to in a worker: the strict codec
 * replaces it with this marker (its plaintext never reaches workflow or activity code), and the
 * binding interceptors refuse any start, signal, update, query, activity input or result carrying
 * one. Workflow-safe: no Node imports.
 */
export const REFUSED_MARKER_KEY = '$luccaPayloadRefused';

/**
 * Why a payload was refused: sealed for another workflow, for another tenant, without a binding
 * while one was required, carrying an operator proof that does not verify, or not opening under a
 * key the worker has verified (forged or altered bytes; see proven-keys.ts), or naming a key id the
 * worker has not configured (forged: rotation configures a key everywhere before it seals).
 */
export type PayloadRefusal = 'other-workflow' | 'other-tenant' | 'unbound' | 'operator-proof-invalid' | 'tampered' | 'unknown-key';

export interface RefusedMarker {
  [REFUSED_MARKER_KEY]: PayloadRefusal;
}

export function refusalOf(value: unknown): PayloadRefusal | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const reason = (value as Record<string, unknown>)[REFUSED_MARKER_KEY];
  return typeof reason === 'string' ? (reason as PayloadRefusal) : undefined;
}

/** Error type of the non-retryable failure of a refused start, update, query or activity. */
export const PAYLOAD_BINDING_REFUSED = 'PayloadBindingRefused';

/**
 * Metadata the codec adds to a payload of the old format (v1, sealed before payloads named their
 * workflow) decoded in a workflow's context: the payload converter remembers the value it became, and
 * the workflow interceptor accepts such a value only while replaying history written before the
 * upgrade, never in a new start, signal, update or query.
 */
export const LEGACY_UNBOUND_METADATA = 'lucca-legacy-unbound';
