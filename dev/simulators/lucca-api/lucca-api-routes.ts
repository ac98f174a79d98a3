import { z } from 'zod';
import { HttpError, JsonRouter, readJsonBody, sendJson, type RouteContext } from '../simulator-kit/http-server-kit';
import type { DeliveryStatus } from './lucca-event-log';
import type { LuccaApiTenant } from './lucca-api-tenant';
import type { IssuedToken } from './oauth-token-issuer';
import { publicEndpoint } from './webhook-endpoint-registry';

export const API_VERSION = '2024-11-01';

/** ASSUMED scope names for webhook-endpoints (Lucca documents `webhook-deliveries.readonly|readwrite`); `events.readonly` is documented. */
export const SCOPES = { endpoints: 'webhook-endpoints.readwrite', events: 'events.readonly' } as const;

export interface ApiRouteContext {
  tenant: LuccaApiTenant;
  token: IssuedToken;
}

const createEndpointSchema = z.object({
  name: z.string().min(1),
  webhookUrl: z.string().url(),
  topics: z.array(z.string().regex(/^[a-z-]+\.(created|updated|deleted)$/)).min(1),
  apiVersion: z.string().optional(),
  businessEstablishments: z.null().optional(),
  status: z.enum(['active', 'inactive']).optional(),
});
const patchEndpointSchema = z.object({ status: z.enum(['active', 'suspended', 'inactive']) });

/** RFC 7807 problem, as the Lucca API answers errors. */
export function problem(status: number, title: string): HttpError {
  return new HttpError(
    status,
    title,
    { 'content-type': 'application/problem+json' },
    { type: `https://developers.lucca.fr/errors/${status}`, title, status },
  );
}

function requireScope(ctx: ApiRouteContext, scope: string): void {
  if (!ctx.token.scopes.includes(scope)) throw problem(403, 'Forbidden: missing scope');
}

export const luccaApiRouter = new JsonRouter<ApiRouteContext>()
  .on('GET', '/lucca-api/webhook-endpoints', ({ res, ctx }) => {
    requireScope(ctx, SCOPES.endpoints);
    const items = ctx.tenant.endpoints.list().map(publicEndpoint);
    sendJson(res, 200, {
      type: 'webhook-endpoints',
      url: `${ctx.tenant.source}/lucca-api/webhook-endpoints`,
      items,
      links: { prev: null, next: null },
    });
  })
  .on('POST', '/lucca-api/webhook-endpoints', async ({ req, res, ctx }) => {
    requireScope(ctx, SCOPES.endpoints);
    const parsed = createEndpointSchema.safeParse(await readJsonBody(req));
    if (!parsed.success) throw problem(400, 'Invalid webhook-endpoint');
    // Returned with its secret, this once.
    sendJson(res, 201, { ...(await ctx.tenant.createEndpoint(parsed.data)), links: {} });
  })
  .on('GET', '/lucca-api/webhook-endpoints/:id', ({ res, params, ctx }) => {
    requireScope(ctx, SCOPES.endpoints);
    const endpoint = ctx.tenant.endpoints.get(params.id!);
    if (!endpoint) throw problem(404, 'Not found');
    sendJson(res, 200, { ...publicEndpoint(endpoint), links: {} });
  })
  .on('PATCH', '/lucca-api/webhook-endpoints/:id', async ({ req, res, params, ctx }) => {
    requireScope(ctx, SCOPES.endpoints);
    const endpoint = ctx.tenant.endpoints.get(params.id!);
    if (!endpoint) throw problem(404, 'Not found');
    const parsed = patchEndpointSchema.safeParse(await readJsonBody(req));
    if (!parsed.success) throw problem(400, 'Invalid status');
    await ctx.tenant.setEndpointStatus(endpoint, parsed.data.status);
    sendJson(res, 200, { ...publicEndpoint(endpoint), links: {} });
  })
  .on('GET', '/lucca-api/events', (route) => listEvents(route))
  .on('GET', '/lucca-api/events/:id', ({ res, params, ctx }) => {
    requireScope(ctx, SCOPES.events);
    const event = ctx.tenant.events.get(params.id!);
    if (!event) throw problem(404, 'Not found');
    sendJson(res, 200, event);
  });

/** Cursor paging: `page` is an opaque token (here a keyset position), `limit` ≤ 100, oldest first (ASSUMED order). */
function listEvents({ res, url, ctx }: RouteContext<ApiRouteContext>): void {
  requireScope(ctx, SCOPES.events);
  const limit = Number(url.searchParams.get('limit') ?? 25);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw problem(400, 'limit must be between 1 and 100');
  const status = url.searchParams.get('status') ?? undefined;
  if (status !== undefined && !['scheduled', 'delivered', 'failed'].includes(status)) throw problem(400, 'Invalid status');
  const page = url.searchParams.get('page');
  const after = page ? decodePageToken(page) : undefined;
  // N10 false: without `status=`, only delivered events are listed.
  const listed = status ?? (ctx.tenant.variant.feedListing === 'delivered-only' ? 'delivered' : undefined);
  const { items, nextAfter } = ctx.tenant.events.page(after, limit, listed as DeliveryStatus | undefined);
  const link = (token?: string) => {
    const href = new URL(`${ctx.tenant.source}/lucca-api/events`);
    if (token) href.searchParams.set('page', token);
    href.searchParams.set('limit', String(limit));
    if (status) href.searchParams.set('status', status);
    return href.toString();
  };
  const next = nextAfter ? { href: link(encodePageToken(nextAfter)) } : null;
  const ordered = ctx.tenant.variant.feedOrder === 'newest-first' ? [...items].reverse() : items;
  sendJson(res, 200, { type: 'events', url: link(page ?? undefined), items: ordered, links: { prev: null, next } });
}

const encodePageToken = (after: string) => `!${Buffer.from(after).toString('base64url')}`;

function decodePageToken(token: string): string {
  const after = token.startsWith('!') ? Buffer.from(token.slice(1), 'base64url').toString() : '';
  if (!/^\d+$/.test(after)) throw problem(400, 'Invalid page token');
  return after;
}
