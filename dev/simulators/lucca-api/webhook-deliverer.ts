import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { emptyDeliveryStats, type DeliveryFault, type DeliveryStats } from './delivery-faults';
import type { LuccaEvent, LuccaEventLog } from './lucca-event-log';
import type { StoredEndpoint, WebhookEndpointRegistry } from './webhook-endpoint-registry';

export interface DeliveryPolicy {
  /**
   * Waits between attempts. Lucca documents up to 5 attempts over about 24 hours; the default
   * spreads 4 retries over that (1 min, 10 min, 2 h, 22 h). Tests pass milliseconds.
   */
  retryDelaysMs: number[];
  /** Lucca documents that an endpoint must answer within 3 s. */
  timeoutMs: number;
  /** A `reorder`-held delivery goes out at the latest after this, even when nothing follows it. */
  maxHoldMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  retryDelaysMs: [60_000, 600_000, 7_200_000, 79_200_000],
  timeoutMs: 3_000,
  maxHoldMs: 2_000,
};

/**
 * Sends one tenant's events to its active endpoints: signed (`Lucca-Timestamp`, `Lucca-Signature`
 * = base64 HMAC-SHA256 of "<timestamp>.<body>"), at least once, retried on anything but 2xx,
 * 404 and 410 (those suspend the endpoint), with the scripted faults applied.
 */
export class WebhookDeliverer {
  readonly faults: DeliveryFault[] = [];
  stats: DeliveryStats = emptyDeliveryStats();
  private inFlight = 0;
  private held: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly log: LuccaEventLog,
    private readonly endpoints: WebhookEndpointRegistry,
    private readonly policy: DeliveryPolicy,
    private readonly now: () => Date,
  ) {}

  dispatch(event: LuccaEvent): void {
    const targets = this.endpoints.subscribers(event.topic);
    if (targets.length === 0) return;
    for (const endpoint of targets) void this.deliver(event, endpoint, this.faults.shift() ?? { kind: 'none' });
  }

  /** Resolves once no delivery is in flight or waiting for a retry. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async deliver(event: LuccaEvent, endpoint: StoredEndpoint, fault: DeliveryFault): Promise<void> {
    this.inFlight += 1;
    try {
      if (fault.kind === 'lose') {
        this.stats.lost += 1;
        this.settle(event, 'failed');
        return;
      }
      await this.applyDelay(fault);
      const delivered = await this.attemptWithRetries(event, endpoint);
      if (delivered && fault.kind === 'duplicate') {
        this.stats.duplicated += 1;
        await this.post(event, endpoint);
      }
      this.settle(event, delivered ? 'delivered' : 'failed');
    } finally {
      this.inFlight -= 1;
      if (fault.kind !== 'reorder') this.releaseHeld();
      if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  }

  private async applyDelay(fault: DeliveryFault): Promise<void> {
    if (fault.kind === 'late') {
      this.stats.late += 1;
      await sleep(fault.ms);
    }
    if (fault.kind === 'reorder') {
      this.stats.reordered += 1;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.policy.maxHoldMs);
        this.held.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private releaseHeld(): void {
    this.held.splice(0).forEach((release) => release());
  }

  private settle(event: LuccaEvent, status: 'delivered' | 'failed'): void {
    this.log.setStatus(event.id, status);
    if (status === 'delivered') this.stats.delivered += 1;
    else this.stats.failed += 1;
  }

  private async attemptWithRetries(event: LuccaEvent, endpoint: StoredEndpoint): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      if (endpoint.status !== 'active') return false;
      const status = await this.post(event, endpoint);
      if (status >= 200 && status < 300) return true;
      if (status === 404 || status === 410) {
        this.endpoints.setStatus(endpoint.id, 'suspended');
        return false;
      }
      const delay = this.policy.retryDelaysMs[attempt];
      if (delay === undefined) return false;
      await sleep(delay);
    }
  }

  /** One signed POST; the HTTP status, or 0 when no answer came in time. */
  private async post(event: LuccaEvent, endpoint: StoredEndpoint): Promise<number> {
    const body = JSON.stringify(event);
    const timestamp = this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    const signature = createHmac('sha256', endpoint.secret).update(`${timestamp}.${body}`).digest('base64');
    this.stats.attempts += 1;
    let status = 0;
    try {
      const res = await request(endpoint.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'lucca-timestamp': timestamp, 'lucca-signature': signature },
        body,
        headersTimeout: this.policy.timeoutMs,
        bodyTimeout: this.policy.timeoutMs,
      });
      await res.body.dump();
      status = res.statusCode;
    } catch {
      status = 0;
    }
    this.stats.answers[String(status)] = (this.stats.answers[String(status)] ?? 0) + 1;
    return status;
  }
}
