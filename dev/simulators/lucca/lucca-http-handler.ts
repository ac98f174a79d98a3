import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFault, HttpError, JsonRouter, readJsonBody, sendBytes, sendJson, type RouteContext } from '../simulator-kit/http-server-kit';
import type { FaultInjector } from '../simulator-kit/fault-injector';
import type { SlidingWindowLimiter } from '../simulator-kit/sliding-window-limiter';
import { toNaiveDateTime } from './lucca-dates';
import { ExtendedDataWriteError, writeExtendedData } from './lucca-extended-data-writer';
import { FieldSelectionError, parseFieldSelection, type FieldTree } from './lucca-field-selection';
import { canRead, projectUser, validateUserSelection, type ProjectionContext } from './lucca-user-projection';
import { isVisible, parsePaging, QueryError, queryUsers } from './lucca-user-query';
import { wireFormatKey, type LuccaDialect } from './lucca-dialect';
import { isGuid, type ApiKey, type ExtensionDefinition, type LuccaTenantStore } from './lucca-tenant-store';

/** Everything the handler needs about one simulated Lucca domain. */
export interface LuccaTenantRuntime {
  id: string;
  store: LuccaTenantStore;
  faults: FaultInjector;
  limiter: SlidingWindowLimiter;
  stats: LuccaTenantStats;
}

export interface LuccaTenantStats {
  /** Every request that reached the tenant prefix (faulted and rate-limited included). */
  requests: number;
  /** Requests that went through auth and routing, by route name ("GET /api/v3/users"). */
  byRoute: Record<string, number>;
  /** 429s from the rate limiter (not the injected ones). */
  rateLimited: number;
  /** Requests consumed by fault injection. */
  faulted: number;
  unauthorized: number;
}

export function emptyStats(): LuccaTenantStats {
  return { requests: 0, byRoute: {}, rateLimited: 0, faulted: 0, unauthorized: 0 };
}

interface LuccaRequest {
  tenant: LuccaTenantRuntime;
  apiKey: ApiKey;
  baseUrl: string;
}

/** Errors as Lucca's older v3 framework wrote them; clients should only rely on the status. */
function luccaError(status: number, message: string, headers: Record<string, string> = {}): HttpError {
  return new HttpError(status, message, headers, { Status: status, Message: message });
}

function envelope(req: LuccaRequest, data: unknown): unknown {
  return { header: { generated: toNaiveDateTime(req.tenant.store.now()), principal: req.apiKey.name }, data };
}

function parseSelection(url: URL): FieldTree | null {
  const raw = url.searchParams.get('fields') ?? url.searchParams.get('Fields');
  if (raw === null || raw.trim() === '') return null;
  try {
    const tree = parseFieldSelection(raw);
    validateUserSelection(tree);
    return tree;
  } catch (err) {
    if (err instanceof FieldSelectionError) throw luccaError(400, err.message);
    throw err;
  }
}

/** Projection errors (bad sub-selection) surface while rendering; they are client errors too. */
function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof FieldSelectionError || err instanceof QueryError) throw luccaError(400, err.message);
    if (err instanceof ExtendedDataWriteError) throw luccaError(err.status, err.message);
    throw err;
  }
}

function projectionContext(r: LuccaRequest): ProjectionContext {
  return { store: r.tenant.store, permissions: r.apiKey.permissions, baseUrl: r.baseUrl };
}

function wireDefinition(def: ExtensionDefinition, dialect: LuccaDialect): unknown {
  return {
    id: def.id,
    code: def.code,
    name: def.name,
    formatKey: wireFormatKey(dialect, def.formatKey, def.entries.length),
    [dialect.multipleFlag]: def.isMultiple,
    extensionUserPropertyListEntries: def.entries.map((e) => ({ id: e.id, name: e.name, translation: e.translation })),
  };
}

function userIdParam(raw: string | undefined): number {
  if (!raw || !/^\d+$/.test(raw)) throw luccaError(404, 'User not found');
  return Number(raw);
}

type Ctx = RouteContext<LuccaRequest>;

/** The definition of the HR-file data that references a file: its section's read right guards the download. */
function sectionHoldingFile(store: LuccaTenantStore, guid: string): ExtensionDefinition | undefined {
  const wanted = guid.toLowerCase();
  for (const values of store.extendedData.values()) {
    for (const [code, entry] of values) {
      const occurrences = Array.isArray(entry) ? entry : [entry];
      if (occurrences.some((o) => typeof o.value === 'string' && o.value.toLowerCase() === wanted)) return store.definition(code);
    }
  }
  return undefined;
}

const router = new JsonRouter<LuccaRequest>()
  .on('GET', '/api/v3/users', ({ res, url, ctx }: Ctx) => {
    const selection = parseSelection(url);
    const pctx = projectionContext(ctx);
    const { total, page } = guarded(() => queryUsers(ctx.tenant.store, url.searchParams, ctx.apiKey.permissions));
    const collection = selection?.get('collection');
    const wantsCount = collection !== undefined && (collection.children === null || collection.children.has('count'));
    const onlyCount = wantsCount && selection !== null && selection.size === 1;
    const data: Record<string, unknown> = {};
    if (!onlyCount) {
      // `fields=collection.count,...` alone is not a user selection: strip it before projecting.
      data.items = guarded(() => page.map((u) => projectUser(u, pctx, selection)));
    }
    if (wantsCount) data.count = total;
    sendJson(res, 200, envelope(ctx, data));
  })
  .on('GET', '/api/v3/users/:id', ({ res, url, params, ctx }: Ctx) => {
    const selection = parseSelection(url);
    const user = ctx.tenant.store.getUser(userIdParam(params.id));
    if (!user || !isVisible(ctx.tenant.store, user, ctx.apiKey.permissions)) throw luccaError(404, 'User not found');
    sendJson(
      res,
      200,
      envelope(
        ctx,
        guarded(() => projectUser(user, projectionContext(ctx), selection)),
      ),
    );
  })
  .on('PUT', '/api/v3/users/:id', async ({ req, res, url, params, ctx }: Ctx) => {
    const selection = parseSelection(url);
    const id = userIdParam(params.id);
    const body = await readJsonBody(req);
    const store = ctx.tenant.store;
    const user = store.getUser(id);
    if (!user || !isVisible(store, user, ctx.apiKey.permissions)) throw luccaError(404, 'User not found');
    guarded(() => writeExtendedData(store, id, body ?? {}, ctx.apiKey.permissions));
    const updated = store.getUser(id) ?? user;
    sendJson(
      res,
      200,
      envelope(
        ctx,
        guarded(() => projectUser(updated, projectionContext(ctx), selection)),
      ),
    );
  })
  .on('GET', '/api/v3/extensionuserdefinitions', ({ res, url, ctx }: Ctx) => {
    const store = ctx.tenant.store;
    const paging = guarded(() => parsePaging(url.searchParams.get('paging'), { offset: 0, limit: store.dialect.defaultPageSize }));
    const items = [...store.definitions.values()]
      .slice(paging.offset, paging.offset + paging.limit)
      .map((d) => wireDefinition(d, store.dialect));
    sendJson(res, 200, envelope(ctx, { items }));
  })
  .on('GET', '/api/v3/extensionuserdefinitions/:code', ({ res, params, ctx }: Ctx) => {
    const def = ctx.tenant.store.definition(params.code ?? '');
    if (!def) throw luccaError(404, 'Extension definition not found');
    sendJson(res, 200, envelope(ctx, wireDefinition(def, ctx.tenant.store.dialect)));
  })
  .on('GET', '/api/v3/files/:guid', ({ res, params, ctx }: Ctx) => sendFile(res, params.guid, ctx, '/api/v3/files'))
  .on('GET', '/api/v3/documents/:guid', ({ res, params, ctx }: Ctx) => sendFile(res, params.guid, ctx, '/api/v3/documents'));

/** An attachment, at the path the dialect serves files from (404 at the other). */
function sendFile(res: Ctx['res'], guidParam: string | undefined, ctx: Ctx['ctx'], path: LuccaDialect['filesPath']): void {
  const guid = guidParam ?? '';
  if (ctx.tenant.store.dialect.filesPath !== path) throw luccaError(404, 'Not found');
  const file = isGuid(guid) ? ctx.tenant.store.getFile(guid) : undefined;
  if (!file) throw luccaError(404, 'File not found');
  const holder = sectionHoldingFile(ctx.tenant.store, guid);
  if (holder && !canRead(ctx.apiKey.permissions, holder.code, holder.section))
    throw luccaError(403, 'You are not allowed to access this file');
  const ascii =
    file.name
      .normalize('NFD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\]/g, '_') || 'file';
  sendBytes(res, 200, file.bytes, file.contentType, {
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
  });
}

/**
 * Parses `Authorization: lucca application=<GUID>` the way Lucca's framework does: scheme compared
 * case-insensitively, `application=` part, then a GUID.
 */
export function parseLuccaAuthorization(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, token, ...rest] = header.trim().split(/\s+/);
  if (rest.length > 0 || !scheme || !token || scheme.toLowerCase() !== 'lucca') return null;
  const eq = token.indexOf('=');
  if (eq < 0 || token.slice(0, eq).toLowerCase() !== 'application') return null;
  const key = token.slice(eq + 1);
  return isGuid(key) ? key : null;
}

/** Handles one request under `/{tenant}/...` (faults → rate limit → auth → route). */
export async function handleLuccaTenantRequest(
  tenant: LuccaTenantRuntime,
  restPath: string,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  tenant.stats.requests++;
  if (await applyFault(tenant.faults.decide(), req, res)) {
    tenant.stats.faulted++;
    return;
  }
  const slot = tenant.limiter.tryAcquire();
  if (!slot.ok) {
    tenant.stats.rateLimited++;
    throw luccaError(429, 'Too many requests', { 'retry-after': String(slot.retryAfterSeconds) });
  }
  const key = parseLuccaAuthorization(req.headers.authorization);
  const apiKey = key ? tenant.store.findApiKey(key) : undefined;
  if (!apiKey) {
    tenant.stats.unauthorized++;
    throw luccaError(401, 'Your token is invalid or you did not provide any');
  }
  const found = router.find(req.method ?? 'GET', restPath);
  if (!('route' in found)) {
    if (found.methodMismatch) throw luccaError(405, 'Method not allowed');
    throw luccaError(404, 'Not found');
  }
  tenant.stats.byRoute[found.route.name] = (tenant.stats.byRoute[found.route.name] ?? 0) + 1;
  const baseUrl = `http://${req.headers.host ?? '127.0.0.1'}/${encodeURIComponent(tenant.id)}`;
  await found.route.handler({ req, res, url, params: found.params, ctx: { tenant, apiKey, baseUrl } });
}
