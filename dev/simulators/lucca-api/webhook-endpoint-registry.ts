import { randomBytes } from 'node:crypto';

/** A webhook-endpoint as the Lucca API returns it (`secret` only in the answer to its creation). */
export interface WebhookEndpoint {
  id: string;
  type: 'webhook-endpoint';
  url: string;
  name: string;
  apiVersion: string;
  webhookUrl: string;
  topics: string[];
  status: 'active' | 'suspended' | 'inactive';
  contentType: 'default';
  createdAt: string;
  lastUpdatedAt: string;
}

export interface StoredEndpoint extends WebhookEndpoint {
  secret: string;
}

/** The webhook-endpoints of one simulated tenant. */
export class WebhookEndpointRegistry {
  private readonly endpoints = new Map<string, StoredEndpoint>();
  private nextId = 456_789_412;

  constructor(
    private readonly source: string,
    private readonly now: () => Date,
  ) {}

  create(input: { name: string; webhookUrl: string; topics: string[]; apiVersion?: string }): StoredEndpoint {
    const id = String(this.nextId++);
    const at = this.now().toISOString();
    const endpoint: StoredEndpoint = {
      id,
      type: 'webhook-endpoint',
      url: `${this.source}/lucca-api/webhook-endpoints/${id}`,
      name: input.name,
      apiVersion: input.apiVersion ?? '2024-11-01',
      webhookUrl: input.webhookUrl,
      topics: [...input.topics],
      // Inactive until the activation challenge is answered (see the sandbox).
      status: 'inactive',
      contentType: 'default',
      secret: randomBytes(48).toString('base64url'),
      createdAt: at,
      lastUpdatedAt: at,
    };
    this.endpoints.set(id, endpoint);
    return endpoint;
  }

  get(id: string): StoredEndpoint | undefined {
    return this.endpoints.get(id);
  }

  list(): StoredEndpoint[] {
    return [...this.endpoints.values()];
  }

  setStatus(id: string, status: WebhookEndpoint['status']): void {
    const endpoint = this.endpoints.get(id);
    if (!endpoint) return;
    endpoint.status = status;
    endpoint.lastUpdatedAt = this.now().toISOString();
  }

  /** Active endpoints subscribed to `topic`. */
  subscribers(topic: string): StoredEndpoint[] {
    return this.list().filter((e) => e.status === 'active' && e.topics.includes(topic));
  }
}

/** The public representation: never the secret (Lucca returns it only once, on creation). */
export function publicEndpoint(endpoint: StoredEndpoint): WebhookEndpoint {
  const { secret: _secret, ...rest } = endpoint;
  return rest;
}
