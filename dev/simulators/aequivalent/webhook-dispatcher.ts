import { request } from 'undici';
import type { WebhookEvent } from '../../../src/connectors/aequivalent-screening/aequivalent/schemas';
import { signWebhook } from '../../../src/connectors/aequivalent-screening/aequivalent/webhook-signature';

export interface WebhookRetryOptions {
  /** Total delivery attempts per event, the first one included. */
  attempts: number;
  initialDelayMs: number;
  /** Cap of the exponential backoff. */
  maxDelayMs: number;
  /** Per-attempt answer deadline. */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_RETRY: WebhookRetryOptions = Object.freeze({
  attempts: 8,
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  timeoutMs: 10_000,
});

export interface WebhookDelivery {
  eventId: string;
  dossierId: string;
  status: WebhookEvent['status'];
  attempts: number;
  /** HTTP status of each attempt (0 = no answer). */
  responses: number[];
  state: 'pending' | 'delivered' | 'failed' | 'no_url';
}

/**
 * Delivers signed events at least once: retried with exponential backoff until a 2xx, for a
 * bounded number of attempts. Each event is delivered independently (no ordering guarantee),
 * and keeps its id across retries so receivers can deduplicate.
 */
export class WebhookDispatcher {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly controllers = new Set<AbortController>();
  private stopped = false;

  constructor(
    private readonly retry: WebhookRetryOptions,
    private readonly onAttempt: (delivery: WebhookDelivery) => void = () => undefined,
  ) {}

  /** Starts delivering; returns the delivery record, updated in place as attempts happen. */
  dispatch(event: WebhookEvent, target: { url: string | undefined; secret: string }): WebhookDelivery {
    const delivery: WebhookDelivery = {
      eventId: event.id,
      dossierId: event.dossierId,
      status: event.status,
      attempts: 0,
      responses: [],
      state: 'pending',
    };
    if (!target.url) {
      delivery.state = 'no_url';
      return delivery;
    }
    const body = JSON.stringify(event);
    void this.attempt(delivery, body, target.url, target.secret);
    return delivery;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.controllers) c.abort();
    this.controllers.clear();
  }

  private async attempt(delivery: WebhookDelivery, body: string, url: string, secret: string): Promise<void> {
    if (this.stopped) return;
    delivery.attempts += 1;
    const controller = new AbortController();
    this.controllers.add(controller);
    let status = 0;
    try {
      // Signed per attempt: the timestamp must be fresh for the receiver's tolerance window.
      const signature = signWebhook(secret, body, Math.floor(Date.now() / 1000));
      const res = await request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'aequivalent-signature': signature,
          'user-agent': 'Aequivalent-Webhook/1 (sandbox)',
        },
        body,
        signal: controller.signal,
        headersTimeout: this.retry.timeoutMs,
        bodyTimeout: this.retry.timeoutMs,
      });
      status = res.statusCode;
      await res.body.dump();
    } catch {
      status = 0; // refused, reset, timed out or aborted by stop()
    } finally {
      this.controllers.delete(controller);
    }
    if (this.stopped) return;
    delivery.responses.push(status);
    if (status >= 200 && status < 300) delivery.state = 'delivered';
    else if (delivery.attempts >= this.retry.attempts) delivery.state = 'failed';
    this.onAttempt(delivery);
    if (delivery.state !== 'pending') return;
    const delay = Math.min(this.retry.initialDelayMs * 2 ** (delivery.attempts - 1), this.retry.maxDelayMs);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(delivery, body, url, secret);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}
