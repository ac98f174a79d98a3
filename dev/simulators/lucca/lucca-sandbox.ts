import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { FaultInjector, faultPatchSchema, type FaultOptions } from '../simulator-kit/fault-injector';
import { HttpError, readJsonBody, sendJson, startHttpServer, type RunningHttpServer } from '../simulator-kit/http-server-kit';
import { SlidingWindowLimiter } from '../simulator-kit/sliding-window-limiter';
import { emptyStats, handleLuccaTenantRequest, type LuccaTenantRuntime, type LuccaTenantStats } from './lucca-http-handler';
import type { LuccaTenantStore } from './lucca-tenant-store';
import { applyLuccaPermissionFault, luccaPermissionFaultSchema } from './lucca-permission-faults';
import { applyHrEdit, hrEditSchema } from './lucca-hr-edit';

export interface LuccaSandboxOptions {
  /** Added to every answer (latency mode of the bench); default 0. */
  latencyMs?: number;
  /** 0 (default) = a free port. */
  port?: number;
  /** Per tenant domain, sliding 60-s window. Default 50 (Lucca's documented limit); 0 = unlimited. */
  requestsPerMinute?: number;
  /** Applied to every tenant (including tenants added later). */
  faults?: Partial<FaultOptions>;
  /** Clock for the rate limiter, `header.generated`, `modifiedAt` and former/future status. */
  now?: () => Date;
}

const rateLimitPatchSchema = z.object({ requestsPerMinute: z.number().int().min(0).optional(), reset: z.boolean().optional() }).strict();

/**
 * One HTTP server simulating several Lucca domains, each under its own path prefix
 * (`${url}/acme/api/v3/users`), each with its own data, rate budget, faults and stats.
 * Admin endpoints (no Lucca auth) live under `/_sandbox/`.
 */
export class LuccaSandbox {
  private readonly tenants = new Map<string, LuccaTenantRuntime>();
  private server: RunningHttpServer | undefined;
  private defaultFaults: Partial<FaultOptions>;
  private requestsPerMinute: number;

  private constructor(private readonly options: LuccaSandboxOptions) {
    this.defaultFaults = options.faults ?? {};
    this.requestsPerMinute = options.requestsPerMinute ?? 50;
  }

  static async start(options: LuccaSandboxOptions = {}): Promise<LuccaSandbox> {
    const sandbox = new LuccaSandbox(options);
    sandbox.server = await startHttpServer((req, res) => sandbox.handle(req, res), options.port ?? 0, options.latencyMs ?? 0);
    return sandbox;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    if (!this.server) throw new Error('LuccaSandbox not started');
    return this.server.url;
  }

  get port(): number {
    if (!this.server) throw new Error('LuccaSandbox not started');
    return this.server.port;
  }

  /** What a client configures as its Lucca base URL for this tenant. */
  baseUrlFor(tenantId: string): string {
    return `${this.url}/${tenantId}`;
  }

  addTenant(tenantId: string, store: LuccaTenantStore): void {
    if (!/^[A-Za-z0-9_-]+$/.test(tenantId) || tenantId === '_sandbox') throw new Error(`Invalid tenant id ${tenantId}`);
    if (this.options.now) store.now = this.options.now;
    const now = this.options.now;
    this.tenants.set(tenantId, {
      id: tenantId,
      store,
      faults: new FaultInjector(this.defaultFaults),
      limiter: new SlidingWindowLimiter(this.requestsPerMinute, 60_000, now ? () => now().getTime() : Date.now),
      stats: emptyStats(),
    });
  }

  tenant(tenantId: string): LuccaTenantStore {
    return this.runtime(tenantId).store;
  }

  tenantIds(): string[] {
    return [...this.tenants.keys()];
  }

  /** Changes fault injection while running; `'*'` = every tenant and tenants added later. */
  setFaults(tenantId: string, faults: Partial<FaultOptions> & { reset?: boolean }): void {
    if (tenantId === '*') {
      const { reset, ...rest } = faults;
      this.defaultFaults = reset ? { ...rest } : { ...this.defaultFaults, ...rest };
      for (const t of this.tenants.values()) t.faults.update(faults);
      return;
    }
    this.runtime(tenantId).faults.update(faults);
  }

  faults(tenantId: string): FaultOptions {
    return this.runtime(tenantId).faults.options;
  }

  /** Changes the per-minute budget (`'*'` = all tenants); `reset` forgets past requests. */
  setRateLimit(tenantId: string, requestsPerMinute: number | undefined, reset = false): void {
    const targets = tenantId === '*' ? [...this.tenants.values()] : [this.runtime(tenantId)];
    if (tenantId === '*' && requestsPerMinute !== undefined) this.requestsPerMinute = requestsPerMinute;
    for (const t of targets) {
      if (requestsPerMinute !== undefined) t.limiter.setLimit(requestsPerMinute);
      if (reset) t.limiter.reset();
    }
  }

  stats(tenantId: string): LuccaTenantStats {
    const s = this.runtime(tenantId).stats;
    return { ...s, byRoute: { ...s.byRoute } };
  }

  /** Resets stats of one tenant, or all when no id is given. */
  resetStats(tenantId?: string): void {
    const targets = tenantId ? [this.runtime(tenantId)] : [...this.tenants.values()];
    for (const t of targets) t.stats = emptyStats();
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }

  private runtime(tenantId: string): LuccaTenantRuntime {
    const t = this.tenants.get(tenantId);
    if (!t) throw new Error(`Unknown sandbox tenant ${tenantId}`);
    return t;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    const segments = url.pathname.split('/').filter(Boolean);
    const first = segments[0];
    if (first === '_sandbox') return this.handleAdmin(req, res, segments.slice(1));
    const tenant = first ? this.tenants.get(first) : undefined;
    if (!tenant) throw new HttpError(404, 'Unknown Lucca domain', {}, { Status: 404, Message: 'Not found' });
    const restPath = `/${segments.slice(1).join('/')}`;
    await handleLuccaTenantRequest(tenant, restPath, url, req, res);
  }

  /**
   * GET  /_sandbox/health
   * GET  /_sandbox/{tenant}/faults        POST the same with a FaultPatch ({ reset?, errorRate?, script?, ... }); tenant may be '*'
   * GET  /_sandbox/{tenant}/stats         POST /_sandbox/{tenant}/stats/reset
   * POST /_sandbox/{tenant}/rate-limit    { requestsPerMinute?, reset? }
   * POST /_sandbox/{tenant}/permission-faults  a LuccaPermissionFault ({ kind: 'hidden-section', section: 'Elevo' }, …)
   * POST /_sandbox/{tenant}/users/{id}   an HR edit ({ set: { jobTitle: 'CTO' }, extendedData: { e_order_status: 'Dossier à commander' } })
   */
  private async handleAdmin(req: IncomingMessage, res: ServerResponse, segments: string[]): Promise<void> {
    const method = req.method ?? 'GET';
    const [tenantId, resource, action] = segments;
    if (tenantId === 'health' && segments.length === 1 && method === 'GET') {
      sendJson(res, 200, { ok: true, tenants: this.tenantIds() });
      return;
    }
    if (!tenantId || (tenantId !== '*' && !this.tenants.has(tenantId))) throw new HttpError(404, 'Unknown sandbox tenant');
    const oneTenant = tenantId === '*' ? undefined : tenantId;

    if (resource === 'faults' && !action) {
      if (method === 'GET') {
        if (!oneTenant) throw new HttpError(400, 'Read faults of one tenant');
        sendJson(res, 200, this.faults(oneTenant));
        return;
      }
      if (method === 'POST') {
        const parsed = faultPatchSchema.safeParse(await readJsonBody(req));
        if (!parsed.success)
          throw new HttpError(400, `Invalid fault options: ${parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')}`);
        this.setFaults(tenantId, parsed.data);
        sendJson(res, 200, oneTenant ? this.faults(oneTenant) : { ok: true });
        return;
      }
    }
    if (resource === 'stats' && oneTenant) {
      if (!action && method === 'GET') {
        sendJson(res, 200, this.stats(oneTenant));
        return;
      }
      if (action === 'reset' && method === 'POST') {
        this.resetStats(oneTenant);
        sendJson(res, 200, this.stats(oneTenant));
        return;
      }
    }
    if (resource === 'permission-faults' && !action && method === 'POST' && oneTenant) {
      await this.applyPermissionFault(req, oneTenant);
      sendJson(res, 200, { ok: true });
      return;
    }
    if (resource === 'users' && action && method === 'POST' && oneTenant) {
      sendJson(res, 200, await this.applyHrEditRequest(req, oneTenant, Number(action)));
      return;
    }
    if (resource === 'rate-limit' && !action && method === 'POST') {
      const parsed = rateLimitPatchSchema.safeParse((await readJsonBody(req)) ?? {});
      if (!parsed.success) throw new HttpError(400, 'Invalid rate-limit options');
      this.setRateLimit(tenantId, parsed.data.requestsPerMinute, parsed.data.reset ?? false);
      sendJson(res, 200, { ok: true });
      return;
    }
    throw new HttpError(404, 'Unknown sandbox admin route');
  }

  /** Applied to every API key of the domain: the sandbox has one integration key per tenant. */
  private async applyPermissionFault(req: IncomingMessage, tenantId: string): Promise<void> {
    const parsed = luccaPermissionFaultSchema.safeParse(await readJsonBody(req));
    if (!parsed.success) throw new HttpError(400, 'Invalid permission fault');
    const store = this.tenant(tenantId);
    const keys = [...store.apiKeys.values()];
    try {
      for (const key of parsed.data.kind === 'missing-list-entry' ? keys.slice(0, 1) : keys)
        applyLuccaPermissionFault(store, key.key, parsed.data);
    } catch (err) {
      throw new HttpError(400, (err as Error).message);
    }
  }

  /** An HR edit made "in Lucca" (it moves `modifiedAt`, as a real edit would). */
  private async applyHrEditRequest(req: IncomingMessage, tenantId: string, userId: number): Promise<{ id: number; modifiedAt: string }> {
    const parsed = hrEditSchema.safeParse(await readJsonBody(req));
    if (!parsed.success)
      throw new HttpError(400, `Invalid edit: ${parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')}`);
    try {
      const user = applyHrEdit(this.tenant(tenantId), userId, parsed.data);
      return { id: user.id, modifiedAt: user.modifiedAt };
    } catch (err) {
      throw new HttpError(404, (err as Error).message);
    }
  }
}
