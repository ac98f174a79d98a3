import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `Aequivalent-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * The timestamp is signed too, so a captured delivery cannot be replayed outside the tolerance.
 * Several `v1=` entries are accepted (the vendor may sign with an old and a new secret while rotating).
 */
export function signWebhook(secret: string, body: string | Buffer, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmacHex(secret, timestampSeconds, body)}`;
}

export type WebhookVerificationFailure = 'missing_header' | 'malformed_header' | 'timestamp_out_of_tolerance' | 'signature_mismatch';

export type WebhookVerification = { ok: true; timestampSeconds: number } | { ok: false; reason: WebhookVerificationFailure };

export function verifyWebhook(
  secret: string,
  header: string | string[] | undefined | null,
  rawBody: string | Buffer,
  nowSeconds: number,
  toleranceSeconds = 300,
  /** How far ahead of `nowSeconds` a timestamp may be (clock skew); receivers pass a small value. */
  futureSkewSeconds = toleranceSeconds,
): WebhookVerification {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value || value.trim() === '') return { ok: false, reason: 'missing_header' };

  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { ok: false, reason: 'malformed_header' };
    const key = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(v)) return { ok: false, reason: 'malformed_header' };
      timestamp = Number(v);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/i.test(v)) return { ok: false, reason: 'malformed_header' };
      signatures.push(v.toLowerCase());
    } // other schemes (v0, future v2) are ignored, as Stripe-style receivers do
  }
  if (timestamp === undefined || signatures.length === 0) return { ok: false, reason: 'malformed_header' };
  if (nowSeconds - timestamp > toleranceSeconds || timestamp - nowSeconds > futureSkewSeconds)
    return { ok: false, reason: 'timestamp_out_of_tolerance' };

  const expected = Buffer.from(hmacHex(secret, timestamp, rawBody), 'hex');
  // Compare every candidate without short-circuiting, in constant time per candidate.
  let matched = false;
  for (const sig of signatures) {
    if (timingSafeEqual(expected, Buffer.from(sig, 'hex'))) matched = true;
  }
  return matched ? { ok: true, timestampSeconds: timestamp } : { ok: false, reason: 'signature_mismatch' };
}

function hmacHex(secret: string, timestampSeconds: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
}
