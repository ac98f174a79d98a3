/**
 * What a refused unencrypted payload decodes to: the strict codec replaces the plaintext with this
 * marker (the plaintext never reaches workflow code), and the workflow interceptor refuses any start,
 * signal or update that carries one. Workflow-safe: no Node imports.
 */
export const UNSEALED_MARKER_KEY = '$luccaUnsealedPayloadRefused';

export interface UnsealedMarker {
  [UNSEALED_MARKER_KEY]: true;
}

export function isUnsealedMarker(value: unknown): value is UnsealedMarker {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[UNSEALED_MARKER_KEY] === true;
}

/** Error type of the non-retryable failure of a refused start or update. */
export const UNSEALED_INPUT_REFUSED = 'UnsealedInputRefused';
