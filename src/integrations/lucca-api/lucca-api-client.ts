import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { IntegrationError } from '../http/integration-error';
import { JsonHttpClient, type RequestOptions, type RetryOptions } from '../http/json-http-client';
import type { RequestBudget } from '../http/request-budget';
import { fetchClientCredentialsToken } from './client-credentials-token';
import {
  createdWebhookEndpointSchema,
  eventsPageSchema,
  LUCCA_API_VERSION,
  webhookEndpointListSchema,
  webhookEndpointSchema,
  type EventsPage,
  type LuccaWebhookEndpoint,
} from './lucca-api-schemas';
import { OAuthTokenCache } from './oauth-token-cache';

/** Lucca's token endpoint (documented); the sandbox passes its own. */
export const LUCCA_TOKEN_URL = 'https://accounts.world.luccasoftware.com/connect/token';
/** What we ask for: events and webhook-endpoints (the latter's scope name is ASSUMED, see docs/freshness-webhooks.md). */
export const LUCCA_EVENTS_SCOPES = ['events.readonly', 'webhook-endpoints.readwrite'];

export interface LuccaApiClientOptions {
  tenantId: string;
  /** `https://<company>.ilucca.net`: the `/lucca-api/...` paths hang off it. */
  apiBaseUrl: string;
  tokenUrl?: string;
  clientId: string;
  clientSecret: string;
  scopes?: string[];
  /** The tenant's Lucca budget: the newer API shares the 50 requests per minute of the domain. */
  budget?: RequestBudget;
  retry?: Partial<RetryOptions>;
  dispatcher?: Dispatcher;
  now?: () => number;
}

/** Client of the newer Lucca API subset the freshness path needs: webhook-endpoints and the events feed. */
export class LuccaApiClient {
  private readonly http: JsonHttpClient;
  private readonly base: string;
  readonly tokens: OAuthTokenCache;

  constructor(private readonly options: LuccaApiClientOptions) {
    this.base = options.apiBaseUrl.replace(/\/+$/, '');
    const common = {
      system: 'lucca',
      tenantId: options.tenantId,
      budget: options.budget,
      retry: options.retry,
      dispatcher: options.dispatcher,
      timeoutMs: 8_000,
    };
    this.http = new JsonHttpClient({ ...common, baseUrl: this.base, headers: { 'api-version': LUCCA_API_VERSION } });
    const tokenUrl = new URL(options.tokenUrl ?? LUCCA_TOKEN_URL);
    const tokenHttp = new JsonHttpClient({ ...common, baseUrl: tokenUrl.origin, headers: {} });
    const credentials = {
      path: tokenUrl.pathname,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      scopes: options.scopes ?? LUCCA_EVENTS_SCOPES,
    };
    this.tokens = new OAuthTokenCache({ now: options.now, fetch: () => fetchClientCredentialsToken(tokenHttp, credentials) });
  }

  get tenantId(): string {
    return this.options.tenantId;
  }

  get requestCount(): number {
    return this.http.requestCount;
  }

  async listWebhookEndpoints(): Promise<LuccaWebhookEndpoint[]> {
    const data = await this.call({
      method: 'GET',
      path: 'lucca-api/webhook-endpoints',
      query: { limit: 100 },
      schema: webhookEndpointListSchema,
    });
    return data.items;
  }

  /** Creates an endpoint; the answer holds its signing secret, which Lucca never shows again. */
  async createWebhookEndpoint(input: {
    name: string;
    webhookUrl: string;
    topics: readonly string[];
  }): Promise<z.infer<typeof createdWebhookEndpointSchema>> {
    const body = {
      name: input.name,
      webhookUrl: input.webhookUrl,
      topics: input.topics,
      apiVersion: LUCCA_API_VERSION,
      businessEstablishments: null,
      status: 'active',
    };
    return this.call({ method: 'POST', path: 'lucca-api/webhook-endpoints', body, schema: createdWebhookEndpointSchema });
  }

  /** Asking for `active` makes Lucca run the activation challenge again (how a suspended endpoint comes back). */
  async setWebhookEndpointStatus(id: string, status: LuccaWebhookEndpoint['status']): Promise<LuccaWebhookEndpoint> {
    return this.call({
      method: 'PATCH',
      path: `lucca-api/webhook-endpoints/${encodeURIComponent(id)}`,
      body: { status },
      schema: webhookEndpointSchema,
    });
  }

  /**
   * One page of the events feed: the first page, or a page URL Lucca gave (`url` or `links.next`).
   * A page URL must point at this tenant's events feed: our token never goes to another host.
   */
  async eventsPage(pageUrl: string | undefined, limit = 100): Promise<EventsPage> {
    if (pageUrl !== undefined && !pageUrl.startsWith(`${this.base}/lucca-api/events?`)) {
      throw new IntegrationError({
        system: 'lucca',
        tenantId: this.tenantId,
        kind: 'invalid-response',
        operation: 'GET /lucca-api/events',
        detail: 'page link outside the tenant events feed',
      });
    }
    return pageUrl !== undefined
      ? this.call({ method: 'GET', path: pageUrl, schema: eventsPageSchema })
      : this.call({ method: 'GET', path: 'lucca-api/events', query: { limit }, schema: eventsPageSchema });
  }

  /** Sends with the current token; a 401 means it expired or was revoked: one retry with a fresh token. */
  private async call<S extends z.ZodType>(opts: RequestOptions<S>): Promise<z.infer<S>> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.get();
      try {
        return (await this.http.json({ ...opts, headers: { ...opts.headers, authorization: `Bearer ${token}` } })).data;
      } catch (err) {
        if (attempt > 0 || !(err instanceof IntegrationError) || err.status !== 401) throw err;
        this.tokens.invalidate(token);
      }
    }
  }
}
