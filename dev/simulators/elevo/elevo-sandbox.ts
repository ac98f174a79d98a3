import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import {
  elevoAdminEditSchema,
  elevoCreateUserSchema,
  elevoUpdateUserSchema,
  type ElevoErrorBody,
  type ElevoErrorCode,
  type ElevoUser,
} from '../../../src/connectors/elevo-user-sync/elevo/schemas';
import { FaultInjector, faultPatchSchema, type FaultOptions, type FaultPatch } from '../simulator-kit/fault-injector';
import {
  applyFault,
  HttpError,
  JsonRouter,
  readJsonBody,
  sendJson,
  startHttpServer,
  type RunningHttpServer,
} from '../simulator-kit/http-server-kit';
import { SlidingWindowLimiter } from '../simulator-kit/sliding-window-limiter';
import { ElevoApiError, ElevoTenantStore, emptyStats, type ElevoTenantStats, type ElevoWriteKind } from './elevo-tenant-store';
import { readSandboxElevoTenants } from './sandbox-elevo-tenants';
import { setTimeout as delay } from 'node:timers/promises';

export interface ElevoSandboxOptions {
  /** Added to every answer (latency mode of the bench); default 0. */
  latencyMs?: number;
  port?: number;
  /** Per tenant; 0 = unlimited (default). */
  requestsPerMinute?: number;
  /** Faults for every tenant from the start (tests usually set them later with setFaults). */
  faults?: Partial<FaultOptions>;
  /** Tenants to serve; default: every `<tenant>-elevo.token` in config/sandbox-secrets. */
  tenants?: { tenantId: string; token: string }[];
}

interface Tenant {
  store: ElevoTenantStore;
  faults: FaultInjector;
  limiter: SlidingWindowLimiter;
}

type Ctx = { tenant: Tenant };

const MAX_PER_PAGE = 500;
const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  perPage: z.coerce.number().int().min(1).max(MAX_PER_PAGE).default(100),
  externalId: z.string().optional(),
  email: z.string().optional(),
});

/**
 * Local simulator of the Elevo provisioning API (api/elevo-provisioning.openapi.yaml). One server
 * serves several Elevo accounts by path prefix: `${url}/${tenantId}/users`. Test hooks under
 * `/_sandbox/...` (faults, stats, users) and as methods.
 */
export class ElevoSandbox {
  private readonly tenants = new Map<string, Tenant>();
  private defaultFaults: Partial<FaultOptions>;

  private constructor(
    private readonly server: RunningHttpServer,
    private readonly requestsPerMinute: number,
    faults: Partial<FaultOptions>,
  ) {
    this.defaultFaults = faults;
  }

  static async start(opts: ElevoSandboxOptions = {}): Promise<ElevoSandbox> {
    let sandbox: ElevoSandbox | undefined;
    const server = await startHttpServer((req, res) => sandbox!.handle(req, res), opts.port ?? 0, opts.latencyMs ?? 0);
    sandbox = new ElevoSandbox(server, opts.requestsPerMinute ?? 0, opts.faults ?? {});
    for (const t of opts.tenants ?? readSandboxElevoTenants()) sandbox.addTenant(t.tenantId, t.token);
    return sandbox;
  }

  get url(): string {
    return this.server.url;
  }

  get port(): number {
    return this.server.port;
  }

  baseUrlFor(tenantId: string): string {
    return `${this.url}/${tenantId}`;
  }

  addTenant(tenantId: string, token: string): void {
    const existing = this.tenants.get(tenantId);
    if (existing) {
      existing.store.token = token;
      return;
    }
    this.tenants.set(tenantId, {
      store: new ElevoTenantStore(tenantId, token),
      faults: new FaultInjector(this.defaultFaults),
      limiter: new SlidingWindowLimiter(this.requestsPerMinute),
    });
  }

  /** Snapshot of a tenant's users, in list order. */
  users(tenantId: string): ElevoUser[] {
    return this.tenant(tenantId)
      .store.list()
      .map((u) => structuredClone(u));
  }

  /** Inserts a pre-existing Elevo user (adoption tests); unset fields get neutral defaults. */
  seedUser(tenantId: string, user: Partial<ElevoUser> & { email: string }): ElevoUser {
    return structuredClone(this.tenant(tenantId).store.seed(user));
  }

  stats(tenantId: string): ElevoTenantStats {
    return structuredClone(this.tenant(tenantId).store.stats);
  }

  /** Writes of every kind except admin edits (those are not the sync's). */
  writeCount(tenantId: string): number {
    const w = this.tenant(tenantId).store.stats.writes;
    return w.create + w.update + w.suspend + w.reactivate + w.release;
  }

  resetStats(tenantId?: string): void {
    for (const [id, t] of this.tenants) if (!tenantId || id === tenantId) t.store.stats = emptyStats();
  }

  /** `'*'` applies to every tenant, present and future. */
  setFaults(tenantId: string, faults: FaultPatch): void {
    const patch = faultPatchSchema.parse(faults);
    if (tenantId === '*') {
      this.defaultFaults = patch.reset ? { ...patch, reset: undefined } : { ...this.defaultFaults, ...patch };
      for (const t of this.tenants.values()) t.faults.update(patch);
    } else {
      this.tenant(tenantId).faults.update(patch);
    }
  }

  /**
   * Refusal mode: every write concerning these Lucca ids (external ids) is refused for good with
   * this status and code (409 `email_taken`, 422 `invalid_request`, …), over the real API.
   */
  refuseWrites(tenantId: string, externalIds: string[], refusal: { status: 409 | 422; code: ElevoErrorCode }): void {
    for (const id of externalIds) this.tenant(tenantId).store.refusals.set(id, refusal);
  }

  clearRefusals(tenantId: string): void {
    this.tenant(tenantId).store.refusals.clear();
  }

  setRequestsPerMinute(tenantId: string, limit: number): void {
    this.tenant(tenantId).limiter.setLimit(limit);
  }

  async stop(): Promise<void> {
    await this.server.close();
  }

  private tenant(tenantId: string): Tenant {
    const t = this.tenants.get(tenantId);
    if (!t) throw new Error(`ElevoSandbox: unknown tenant "${tenantId}"`);
    return t;
  }

  // ---------------------------------------------------------------- HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const [first, ...rest] = url.pathname.split('/').filter(Boolean);
    if (first === '_sandbox') return this.handleAdmin(req, res, rest, url);
    const tenant = first ? this.tenants.get(first) : undefined;
    if (!tenant) return sendElevoError(res, 404, 'unknown_tenant', 'no Elevo account at this path');
    tenant.store.stats.requests++;

    // Infrastructure first (faults, rate limit), then authentication, like a real gateway.
    if (await applyElevoFault(tenant.faults, req, res)) return;
    const slot = tenant.limiter.tryAcquire();
    if (!slot.ok) {
      tenant.store.stats.rateLimited++;
      return sendElevoError(res, 429, 'rate_limited', 'too many requests', { 'retry-after': String(slot.retryAfterSeconds) });
    }
    if (req.headers.authorization !== `Bearer ${tenant.store.token}`)
      return sendElevoError(res, 401, 'unauthorized', 'missing or invalid bearer token');

    const path = `/${rest.join('/')}`;
    const found = apiRoutes.find(req.method ?? 'GET', path);
    if (!('route' in found))
      return sendElevoError(
        res,
        found.methodMismatch ? 405 : 404,
        found.methodMismatch ? 'method_not_allowed' : 'not_found',
        'no such endpoint',
      );
    try {
      await found.route.handler({ req, res, params: found.params, url, ctx: { tenant } });
    } catch (err) {
      if (err instanceof ElevoApiError) return sendElevoError(res, err.status, err.code, err.message, {}, err.attributes);
      if (err instanceof HttpError) return sendElevoError(res, err.status, HTTP_ERROR_CODES[err.status] ?? 'invalid_request', err.message);
      if (err instanceof z.ZodError)
        return sendElevoError(
          res,
          422,
          'invalid_request',
          `invalid ${err.issues
            .map((i) => i.path.join('.') || '(body)')
            .slice(0, 5)
            .join(', ')}`,
        );
      throw err;
    }
  }

  private async handleAdmin(req: IncomingMessage, res: ServerResponse, segments: string[], url: URL): Promise<void> {
    const [a, b] = segments;
    const method = req.method ?? 'GET';
    try {
      if (a === 'health') return sendJson(res, 200, { ok: true, tenants: [...this.tenants.keys()] });
      if (a === 'stats' && b === 'reset' && method === 'POST') {
        this.resetStats(url.searchParams.get('tenant') ?? undefined);
        return sendJson(res, 200, { ok: true });
      }
      if (a === 'tenants' && method === 'POST') {
        const body = z.object({ tenantId: z.string().regex(/^[a-z0-9-]+$/), token: z.string().min(8) }).parse(await readJsonBody(req));
        this.addTenant(body.tenantId, body.token);
        return sendJson(res, 201, { tenantId: body.tenantId });
      }
      if (a && b === 'faults' && (method === 'PUT' || method === 'POST')) {
        this.setFaults(a, faultPatchSchema.parse(await readJsonBody(req)));
        return sendJson(res, 200, a === '*' ? { ok: true } : this.tenant(a).faults.options);
      }
      if (a && b === 'refusals' && method === 'PUT') {
        const body = z
          .object({ externalIds: z.array(z.string()), status: z.union([z.literal(409), z.literal(422)]), code: z.string() })
          .parse(await readJsonBody(req));
        this.refuseWrites(a, body.externalIds, { status: body.status, code: body.code as ElevoErrorCode });
        return sendJson(res, 200, { ok: true });
      }
      if (a && b === 'stats' && method === 'GET') return sendJson(res, 200, { ...this.stats(a), writeCount: this.writeCount(a) });
      if (a && b === 'users' && method === 'GET') return sendJson(res, 200, { items: this.users(a) });
      if (a && b === 'users' && method === 'POST') {
        const body = z
          .object({ email: z.string() })
          .passthrough()
          .parse(await readJsonBody(req));
        return sendJson(res, 201, this.seedUser(a, body));
      }
      return sendJson(res, 404, { error: 'not_found', message: 'no such sandbox endpoint' });
    } catch (err) {
      const message = err instanceof z.ZodError ? 'invalid body' : err instanceof Error ? err.message : 'error';
      return sendJson(res, 400, { error: 'invalid_request', message });
    }
  }
}

function count(tenant: Tenant, kind: ElevoWriteKind): void {
  tenant.store.stats.writes[kind]++;
}

const apiRoutes = new JsonRouter<Ctx>()
  .on('GET', '/users', ({ res, url, ctx }) => {
    const q = pageQuery.parse(Object.fromEntries(url.searchParams));
    const all = ctx.tenant.store.list({ externalId: q.externalId, email: q.email });
    const start = (q.page - 1) * q.perPage;
    const items = all.slice(start, start + q.perPage);
    sendJson(res, 200, {
      items,
      page: q.page,
      perPage: q.perPage,
      total: all.length,
      nextPage: start + q.perPage < all.length ? q.page + 1 : null,
    });
  })
  .on('GET', '/users/:id', ({ res, params, ctx }) => sendJson(res, 200, ctx.tenant.store.get(params.id!)))
  .on('POST', '/users', async ({ req, res, ctx }) => {
    const body = elevoCreateUserSchema.parse(await readJsonBody(req));
    const key = req.headers['idempotency-key'];
    const { user, created } = ctx.tenant.store.create(body, typeof key === 'string' && key ? key : undefined);
    if (created) count(ctx.tenant, 'create');
    sendJson(res, created ? 201 : 200, user);
  })
  .on('PATCH', '/users/:id', async ({ req, res, params, ctx }) => {
    const body = elevoUpdateUserSchema.parse(await readJsonBody(req));
    const user = ctx.tenant.store.update(params.id!, body);
    count(ctx.tenant, 'update');
    sendJson(res, 200, user);
  })
  .on('POST', '/users/:id/suspend', ({ res, params, ctx }) => {
    const user = ctx.tenant.store.setStatus(params.id!, 'suspended');
    count(ctx.tenant, 'suspend');
    sendJson(res, 200, user);
  })
  .on('POST', '/users/:id/reactivate', ({ res, params, ctx }) => {
    const user = ctx.tenant.store.setStatus(params.id!, 'active');
    count(ctx.tenant, 'reactivate');
    sendJson(res, 200, user);
  })
  .on('POST', '/users/:id/release', ({ res, params, ctx }) => {
    const user = ctx.tenant.store.release(params.id!);
    count(ctx.tenant, 'release');
    sendJson(res, 200, user);
  })
  .on('PATCH', '/admin/users/:id', async ({ req, res, params, ctx }) => {
    const body = elevoAdminEditSchema.parse(await readJsonBody(req));
    const user = ctx.tenant.store.adminEdit(params.id!, body);
    count(ctx.tenant, 'adminEdit');
    sendJson(res, 200, user);
  });

function sendElevoError(
  res: ServerResponse,
  status: number,
  error: ElevoErrorCode,
  message: string,
  headers: Record<string, string> = {},
  attributes?: string[],
): void {
  const body: ElevoErrorBody = { error, message, ...(attributes ? { attributes } : {}) };
  sendJson(res, status, body, headers);
}

/** Faults answer in the contract's error shape; timeouts and resets are handled by the shared kit. */
async function applyElevoFault(faults: FaultInjector, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const decision = faults.decide();
  if (decision.kind === 'error' || decision.kind === 'rateLimit') {
    if (decision.latencyMs > 0) await delay(decision.latencyMs);
    if (decision.kind === 'rateLimit')
      sendElevoError(res, 429, 'rate_limited', 'too many requests', { 'retry-after': String(decision.retryAfterSeconds) });
    else sendElevoError(res, decision.status, decision.status >= 500 ? 'internal_error' : 'invalid_request', 'injected fault');
    return true;
  }
  return applyFault(decision, req, res, (status, message) => ({ error: HTTP_ERROR_CODES[status] ?? 'internal_error', message }));
}

/** Contract codes of the errors the shared kit raises (body not JSON, too large, timeout). */
const HTTP_ERROR_CODES: Record<number, ElevoErrorCode> = {
  400: 'bad_request',
  408: 'request_timeout',
  413: 'payload_too_large',
  429: 'rate_limited',
};
