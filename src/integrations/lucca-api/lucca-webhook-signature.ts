import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Lucca signs each delivery: `Lucca-Timestamp` is the UTC ISO 8601 send time, `Lucca-Signature` the
 * base64 HMAC-SHA256, keyed with the endpoint's secret, of "<timestamp>.<raw body>" (documented;
 * base64 and the key as UTF-8 text follow Lucca's own n8n node). Reject when the timestamp is more
 * than 5 minutes off (documented), so a captured delivery cannot be replayed later.
 */
export const LUCCA_SIGNATURE_HEADER = 'lucca-signature';
export const LUCCA_TIMESTAMP_HEADER = 'lucca-timestamp';

export type LuccaSignatureFailure = 'missing_header' | 'malformed_header' | 'timestamp_out_of_tolerance' | 'signature_mismatch';
export type LuccaSignatureVerification = { ok: true } | { ok: false; reason: LuccaSignatureFailure };

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/;
const BASE64 = /^[A-Za-z0-9+/]{43}=$/;

export function signLuccaDelivery(secret: string, timestamp: string, rawBody: string | Buffer): string {
  return hmac(secret, timestamp, rawBody).toString('base64');
}

export function verifyLuccaDelivery(
  secret: string,
  headers: { signature: string | string[] | undefined; timestamp: string | string[] | undefined },
  rawBody: string | Buffer,
  nowMs: number,
  toleranceSeconds = 300,
): LuccaSignatureVerification {
  const signature = single(headers.signature);
  const timestamp = single(headers.timestamp);
  if (!signature || !timestamp) return { ok: false, reason: 'missing_header' };
  if (!ISO_UTC.test(timestamp) || !BASE64.test(signature)) return { ok: false, reason: 'malformed_header' };
  const sentAtMs = Date.parse(timestamp);
  if (Number.isNaN(sentAtMs)) return { ok: false, reason: 'malformed_header' };
  if (Math.abs(nowMs - sentAtMs) > toleranceSeconds * 1000) return { ok: false, reason: 'timestamp_out_of_tolerance' };
  // Both sides are 32 bytes (the header format guarantees it): a constant-time comparison.
  const matches = timingSafeEqual(hmac(secret, timestamp, rawBody), Buffer.from(signature, 'base64'));
  return matches ? { ok: true } : { ok: false, reason: 'signature_mismatch' };
}

function hmac(secret: string, timestamp: string, rawBody: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

function single(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
  return v?.trim() || undefined;
}
