import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LuccaSandbox } from '../lucca/lucca-sandbox';
import { HttpError, readJsonBody, readRawBody, sendJson, startHttpServer, type RunningHttpServer } from '../simulator-kit/http-server-kit';
import { deliveryFaultSchema, type DeliveryFault, type DeliveryStats } from './delivery-faults';
import { API_VERSION, luccaApiRouter, problem, SCOPES } from './lucca-api-routes';
import { LuccaApiTenant } from './lucca-api-tenant';
import { OAuthTokenIssuer } from './oauth-token-issuer';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './webhook-deliverer';

export interface LuccaApiSandboxOptions {
  /** The v3 simulator whose tenant stores produce the employee events. */
  lucca: LuccaSandbox;
  port?: number;
  /** Token lifetime (Lucca documents 1800 s). */
  tokenTtlSeconds?: number;
  delivery?: Partial<DeliveryPolicy>;
  now?: () => Date;
}

/**
 * The newer Lucca API ("v5", `/lucca-api/...`) next to the v3 simulator: `POST /connect/token`
 * (OAuth2 client credentials; Lucca's is on accounts.world.luccasoftware.com, here at the root),
 * and per tenant `/{tenant}/lucca-api/webhook-endpoints` and `/{tenant}/lucca-api/events`.
 * Employee changes in the v3 store become events, delivered to active endpoints with faults.
 */
export class LuccaApiSandbox {
  readonly tokens: OAuthTokenIssuer;
  private readonly tenants = new Map<string, LuccaApiTenant>();
  private server: RunningHttpServer | undefined;
  private readonly now: () => Date;
  private readonly policy: DeliveryPolicy;

  private constructor(private readonly options: LuccaApiSandboxOptions) {
    this.now = options.now ?? (() => new Date());
    this.tokens = new OAuthTokenIssuer(() => this.now().getTime(), options.tokenTtlSeconds ?? 1800);
    this.policy = { ...DEFAULT_DELIVERY_POLICY, ...options.delivery };
  }

  static async start(options: LuccaApiSandboxOptions): Promise<LuccaApiSandbox> {
    const sandbox = new LuccaApiSandbox(options);
    sandbox.server = await startHttpServer((req, res) => sandbox.handle(req, res), options.port ?? 0);
    return sandbox;
  }

  get url(): string {
    if (!this.server) throw new Error('LuccaApiSandbox not started');
    return this.server.url;
  }

  get tokenUrl(): string {
    return `${this.url}/connect/token`;
  }

  /** What a client configures as the tenant's Lucca API base (its `/lucca-api/...` paths hang off it). */
  apiBaseUrlFor(tenantId: string): string {
    return `${this.url}/${tenantId}`;
  }

  /** Turns the newer API on for one tenant of the v3 simulator, with one OAuth client. */
  enableTenant(tenantId: string, client: { clientId: string; clientSecret: string; scopes?: string[] }): LuccaApiTenant {
    if (this.tenants.has(tenantId)) throw new Error(`Lucca API already enabled for ${tenantId}`);
    const tenant = new LuccaApiTenant(tenantId, this.apiBaseUrlFor(tenantId), this.options.lucca.tenant(tenantId), this.policy, this.now);
    this.tenants.set(tenantId, tenant);
    this.tokens.addClient({
      tenantId,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      scopes: client.scopes ?? [SCOPES.endpoints, SCOPES.events],
    });
    return tenant;
  }

  tenant(tenantId: string): LuccaApiTenant {
    const tenant = this.tenants.get(tenantId);
    if (!tenant) throw new Error(`Lucca API not enabled for ${tenantId}`);
    return tenant;
  }

  /** Faults for the tenant's next deliveries, in order. */
  scriptDeliveryFaults(tenantId: string, faults: DeliveryFault[]): void {
    this.tenant(tenantId).deliverer.faults.push(...faults);
  }

  expireTokens(tenantId: string): void {
    this.tokens.expireTokens(tenantId);
  }

  deliveryStats(tenantId: string): DeliveryStats {
    return structuredClone(this.tenant(tenantId).deliverer.stats);
  }

  /** Resolves once the tenant has no delivery in flight or waiting for a retry. */
  deliveriesSettled(tenantId: string): Promise<void> {
    return this.tenant(tenantId).deliverer.idle();
  }

  async stop(): Promise<void> {
    for (const tenant of this.tenants.values()) tenant.close();
    await this.server?.close();
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    if (url.pathname === '/connect/token' && req.method === 'POST') return this.token(req, res);
    const [first, ...rest] = url.pathname.split('/').filter(Boolean);
    if (first === '_sandbox') return this.admin(req, res, rest);
    const tenant = first ? this.tenants.get(first) : undefined;
    if (!tenant) throw problem(404, 'Not found');
    const path = `/${rest.join('/')}`;
    const found = luccaApiRouter.find(req.method ?? 'GET', path);
    if (!('route' in found)) throw problem(found.methodMismatch ? 405 : 404, found.methodMismatch ? 'Method not allowed' : 'Not found');
    if (req.headers['api-version'] !== API_VERSION) throw problem(400, 'Missing or unsupported Api-Version header');
    const token = this.tokens.verify(req.headers.authorization);
    if (!token || token.tenantId !== tenant.id) throw problem(401, 'Unauthorized');
    await found.route.handler({ req, res, params: found.params, url, ctx: { tenant, token } });
  }

  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
      throw new HttpError(400, 'invalid_request', {}, { error: 'invalid_request' });
    const outcome = this.tokens.issue(new URLSearchParams((await readRawBody(req, 8 * 1024)).toString('utf8')));
    if (!outcome.ok) throw new HttpError(outcome.status, outcome.error, {}, { error: outcome.error });
    sendJson(
      res,
      200,
      {
        access_token: outcome.token.token,
        token_type: 'Bearer',
        expires_in: outcome.expiresInSeconds,
        scope: outcome.token.scopes.join(' '),
      },
      { 'cache-control': 'no-store' },
    );
  }

  /** POST /_sandbox/{tenant}/delivery-faults (a JSON array of faults); POST /_sandbox/{tenant}/expire-tokens; GET /_sandbox/{tenant}/deliveries. */
  private async admin(req: IncomingMessage, res: ServerResponse, [tenantId, action]: string[]): Promise<void> {
    if (!tenantId || !this.tenants.has(tenantId)) throw new HttpError(404, 'Unknown tenant');
    if (action === 'delivery-faults' && req.method === 'POST') {
      const parsed = deliveryFaultSchema.array().safeParse((await readJsonBody(req)) ?? []);
      if (!parsed.success) throw new HttpError(400, 'Invalid delivery faults');
      this.scriptDeliveryFaults(tenantId, parsed.data);
      return sendJson(res, 200, { ok: true });
    }
    if (action === 'expire-tokens' && req.method === 'POST') {
      this.expireTokens(tenantId);
      return sendJson(res, 200, { ok: true });
    }
    if (action === 'deliveries' && req.method === 'GET') return sendJson(res, 200, this.deliveryStats(tenantId));
    throw new HttpError(404, 'Unknown sandbox admin route');
  }
}
