import type { LuccaTenantStore } from '../lucca/lucca-tenant-store';
import { runActivationChallenge } from './activation-challenge';
import { employeeEvent } from './employee-events';
import { LuccaEventLog } from './lucca-event-log';
import { WebhookDeliverer, type DeliveryPolicy } from './webhook-deliverer';
import { WebhookEndpointRegistry, type StoredEndpoint } from './webhook-endpoint-registry';

/**
 * Where the newer API may differ from what we assume (docs/external-apis.md, "Lucca API"): each
 * variant makes one assumption false, for the test that shows what the product then does.
 */
export interface LuccaApiVariant {
  /** N3: events whose `data` lacks the employee id we read (only `url` names the resource). */
  eventData?: 'documented' | 'without-employee-id';
  /** N5: the events feed's pages newest first. */
  feedOrder?: 'oldest-first' | 'newest-first';
  /** N10: the feed without `status=` lists delivered events only (a lost delivery never shows in it). */
  feedListing?: 'every-event' | 'delivered-only';
  /** N8: the activation challenge runs after the creating (or re-activating) call has answered, the endpoint `inactive` meanwhile. */
  activation?: 'during-the-call' | 'after-the-call';
}

/**
 * The newer Lucca API of one simulated tenant: its events (made from the v3 store's employee
 * changes), webhook-endpoints and deliveries.
 */
export class LuccaApiTenant {
  readonly events: LuccaEventLog;
  readonly endpoints: WebhookEndpointRegistry;
  readonly deliverer: WebhookDeliverer;
  variant: LuccaApiVariant = {};
  private readonly unsubscribe: () => void;

  constructor(
    readonly id: string,
    readonly source: string,
    store: LuccaTenantStore,
    private readonly policy: DeliveryPolicy,
    private readonly now: () => Date,
  ) {
    this.events = new LuccaEventLog(source);
    this.endpoints = new WebhookEndpointRegistry(source, now);
    this.deliverer = new WebhookDeliverer(this.events, this.endpoints, policy, now);
    this.unsubscribe = store.onUserChange((change) => {
      const made = employeeEvent(change, source);
      if (this.variant.eventData === 'without-employee-id') delete made.data.id;
      const event = this.events.append({ ...made, occurredAt: this.now().toISOString() });
      this.deliverer.dispatch(event);
    });
  }

  /** Creates the endpoint, then runs the activation challenge: `active` when answered, else `inactive` (ASSUMED). */
  async createEndpoint(input: { name: string; webhookUrl: string; topics: string[]; apiVersion?: string }): Promise<StoredEndpoint> {
    const endpoint = this.endpoints.create(input);
    await this.activateAsVariant(endpoint);
    return endpoint;
  }

  /** Asking for `active` re-runs the challenge (how a suspended endpoint comes back); other statuses are set as asked. */
  async setEndpointStatus(endpoint: StoredEndpoint, status: StoredEndpoint['status']): Promise<void> {
    if (status === 'active') await this.activateAsVariant(endpoint);
    else this.endpoints.setStatus(endpoint.id, status);
  }

  /** N8: during the call (what we assume), or a moment after it answered. */
  private async activateAsVariant(endpoint: StoredEndpoint): Promise<void> {
    if (this.variant.activation !== 'after-the-call') return this.activate(endpoint);
    if (endpoint.status === 'active') this.endpoints.setStatus(endpoint.id, 'inactive');
    setTimeout(() => void this.activate(endpoint), 300).unref();
  }

  private async activate(endpoint: StoredEndpoint): Promise<void> {
    const passed = await runActivationChallenge(endpoint.webhookUrl, this.policy.timeoutMs);
    this.endpoints.setStatus(endpoint.id, passed ? 'active' : endpoint.status === 'suspended' ? 'suspended' : 'inactive');
  }

  close(): void {
    this.unsubscribe();
  }
}
