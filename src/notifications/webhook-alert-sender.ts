import { request } from 'undici';
import { signWebhook } from '../connectors/aequivalent-screening/aequivalent/webhook-signature';
import type { Alert } from '../shared/alert-contract';

export const ALERT_SIGNATURE_HEADER = 'x-lucca-connectors-signature';

/**
 * POSTs the alert as JSON, signed like the vendor webhooks we receive:
 * `X-Lucca-Connectors-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
 * Each delivery has an `id` (stable for one alert: retries are recognisable) for receivers to dedupe.
 */
export async function sendWebhookAlert(options: {
  url: string;
  secret: string;
  alertId: string;
  alert: Alert;
  now?: () => Date;
  timeoutMs?: number;
}): Promise<void> {
  const sentAt = (options.now ?? (() => new Date()))();
  const body = JSON.stringify({ id: options.alertId, sentAt: sentAt.toISOString(), ...options.alert });
  const response = await request(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [ALERT_SIGNATURE_HEADER]: signWebhook(options.secret, body, Math.floor(sentAt.getTime() / 1000)),
      'user-agent': 'lucca-connectors-alerts',
    },
    body,
    headersTimeout: options.timeoutMs ?? 10_000,
    bodyTimeout: options.timeoutMs ?? 10_000,
  });
  await response.body.dump();
  // The receiver's URL may hold a token: the error names the status only.
  if (response.statusCode >= 300) throw new AlertDeliveryError(`alert webhook answered ${response.statusCode}`);
}

export class AlertDeliveryError extends Error {
  override readonly name = 'AlertDeliveryError';
}
