import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import {
  dossierRequestSchema,
  documentKindSchema,
  dossierResultSchema,
  dossierStatusSchema,
  WEBHOOK_EVENT_TYPE,
  type Dossier,
  type DossierDocument,
  type DossierRequest,
  type DossierResult,
  type DossierStatus,
  type WebhookEvent,
} from '../../../src/connectors/aequivalent-screening/aequivalent/schemas';
import { FaultInjector, faultPatchSchema, type FaultOptions, type FaultPatch } from '../simulator-kit/fault-injector';
import {
  HttpError,
  JsonRouter,
  applyFault,
  readJsonBody,
  sendJson,
  startHttpServer,
  type RouteContext,
  type RunningHttpServer,
} from '../simulator-kit/http-server-kit';
import { SeededRandom } from '../simulator-kit/seeded-random';
import { canonicalJson } from './canonical-json';
import { DEFAULT_AUTO_OUTCOME, canTransition, isFinal, nextAutoStep, type AutoOutcome } from './dossier-lifecycle';
import { DEFAULT_WEBHOOK_RETRY, WebhookDispatcher, type WebhookDelivery, type WebhookRetryOptions } from './webhook-dispatcher';

const SIX_WEEKS_MS = 42 * 24 * 3600 * 1000;

export interface AequivalentSandboxLifecycle {
  /** manual: dossiers move only through `advance`/the admin endpoint; auto: one step every `stepMs`. */
  mode: 'manual' | 'auto';
  stepMs?: number;
  /** A dossier not finished this long after creation expires (both modes). Default 6 weeks. */
  expireAfterMs?: number;
  /** Auto mode: consent and result to simulate, fixed or per dossier. */
  outcome?: Partial<AutoOutcome> | ((dossier: Dossier) => Partial<AutoOutcome>);
}

export interface AequivalentSandboxOptions {
  /** Added to every answer (latency mode of the bench); default 0. */
  latencyMs?: number;
  port?: number;
  faults?: Partial<FaultOptions>;
  lifecycle?: AequivalentSandboxLifecycle;
  webhookRetry?: Partial<WebhookRetryOptions>;
  /** Seed of the generated dossier/document/event ids. */
  seed?: number;
  /** Largest accepted document (413 above). Default 50 MB. */
  maxUploadBytes?: number;
  /**
   * How long a create Idempotency-Key is remembered (the contract promises 30 days; tests shorten it
   * to prove the connector does not depend on it).
   */
  idempotencyKeyRetentionMs?: number;
}

export interface AequivalentSandboxAccount {
  apiKey: string;
  webhookSecret: string;
  webhookUrl?: string;
}

export interface AequivalentSandboxStats {
  requests: number;
  dossiersCreated: number;
  uploads: number;
  /** Status-change events sent to a registered URL (one per event, whatever the attempts). */
  webhooksSent: number;
  webhookAttempts: number;
  webhooksDelivered: number;
}

interface StoredDossier {
  dossier: Dossier;
  createdAtMs: number;
  expiresAtMs: number;
  lastTransitionAtMs: number;
}

interface Account extends AequivalentSandboxAccount {
  dossiers: Map<string, StoredDossier>;
  /** Idempotency-Key → canonical body + dossier id. */
  createKeys: Map<string, { body: string; dossierId: string; atMs: number }>;
  /** `${dossierId}\n${Idempotency-Key}` → document and the fingerprint of what was sent. */
  uploadKeys: Map<string, { fingerprint: string; document: DossierDocument }>;
  deliveries: WebhookDelivery[];
  stats: AequivalentSandboxStats;
}

/** Thrown by `advance` (and answered by the API) when a transition is not allowed. */
export class SandboxTransitionError extends HttpError {
  constructor(from: DossierStatus, to: DossierStatus) {
    super(
      409,
      `cannot move a dossier from ${from} to ${to}`,
      {},
      apiError('invalid_transition', `cannot move a dossier from ${from} to ${to}`),
    );
  }
}

type Ctx = { account: Account; tenantId: string };

const advanceBodySchema = z.object({ status: dossierStatusSchema, result: dossierResultSchema.nullable().optional() }).strict();
const webhookUrlBodySchema = z
  .object({
    url: z
      .string()
      .regex(/^https?:\/\/\S+$/)
      .nullable(),
  })
  .strict();

/**
 * A local Aequivalent implementing api/aequivalent-orders.openapi.yaml: one account per tenant
 * under a path prefix (`/<tenantId>/dossiers`), idempotent creation, streamed uploads checked by
 * sha256, the dossier lifecycle (manual or automatic), signed webhooks with retries, fault
 * injection, and admin endpoints under `/_sandbox/...` for manual runs.
 */
export class AequivalentSandbox {
  private readonly accounts = new Map<string, Account>();
  private readonly faults: FaultInjector;
  private readonly random: SeededRandom;
  private readonly dispatcher: WebhookDispatcher;
  private readonly mode: 'manual' | 'auto';
  private readonly stepMs: number;
  private readonly expireAfterMs: number;
  private readonly maxUploadBytes: number;
  private readonly idempotencyKeyRetentionMs: number;
  private readonly api = new JsonRouter<Ctx>();
  private readonly admin = new JsonRouter<undefined>();
  private server!: RunningHttpServer;
  private sweeper: NodeJS.Timeout | undefined;

  private constructor(private readonly options: AequivalentSandboxOptions) {
    this.faults = new FaultInjector(options.faults ?? {});
    this.random = new SeededRandom(options.seed ?? 4300);
    this.dispatcher = new WebhookDispatcher({ ...DEFAULT_WEBHOOK_RETRY, ...options.webhookRetry }, (d) => this.countAttempt(d));
    this.mode = options.lifecycle?.mode ?? 'manual';
    this.stepMs = options.lifecycle?.stepMs ?? 1_000;
    this.expireAfterMs = options.lifecycle?.expireAfterMs ?? SIX_WEEKS_MS;
    this.maxUploadBytes = options.maxUploadBytes ?? 50 * 1024 * 1024;
    this.idempotencyKeyRetentionMs = options.idempotencyKeyRetentionMs ?? 30 * 24 * 3600 * 1000;
    this.registerRoutes();
  }

  static async start(options: AequivalentSandboxOptions = {}): Promise<AequivalentSandbox> {
    const sandbox = new AequivalentSandbox(options);
    sandbox.server = await startHttpServer(
      (req, res) => sandbox.handle(req, res).catch((err: unknown) => Promise.reject(inContract(err))),
      options.port ?? 0,
      options.latencyMs ?? 0,
    );
    // Sweeping rather than one timer per dossier: setTimeout cannot hold 6 weeks (32-bit ms).
    const sweepMs = Math.max(5, Math.min(1_000, sandbox.expireAfterMs / 2, sandbox.mode === 'auto' ? sandbox.stepMs / 2 : Infinity));
    sandbox.sweeper = setInterval(() => sandbox.sweep(), sweepMs);
    sandbox.sweeper.unref();
    return sandbox;
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return this.server.url;
  }

  get port(): number {
    return this.server.port;
  }

  /** Base URL of one account's API (what goes in the tenant config). */
  baseUrlFor(tenantId: string): string {
    return `${this.server.url}/${encodeURIComponent(tenantId)}`;
  }

  hasTenant(tenantId: string): boolean {
    return this.accounts.has(tenantId);
  }

  addTenant(tenantId: string, account: AequivalentSandboxAccount): void {
    if (this.accounts.has(tenantId)) throw new Error(`sandbox account "${tenantId}" already exists`);
    this.accounts.set(tenantId, {
      ...account,
      dossiers: new Map(),
      createKeys: new Map(),
      uploadKeys: new Map(),
      deliveries: [],
      stats: { requests: 0, dossiersCreated: 0, uploads: 0, webhooksSent: 0, webhookAttempts: 0, webhooksDelivered: 0 },
    });
  }

  setWebhookUrl(tenantId: string, url: string | undefined): void {
    this.account(tenantId).webhookUrl = url;
  }

  /** Copies of the account's dossiers, in creation order. */
  dossiers(tenantId: string): Dossier[] {
    const account = this.account(tenantId);
    this.sweepAccount(account, Date.now());
    return [...account.dossiers.values()].map((s) => structuredClone(s.dossier));
  }

  /** Moves a dossier (as Aequivalent's back office would) and fires the webhook. */
  advance(tenantId: string, dossierId: string, to: DossierStatus, result?: DossierResult | null): Dossier {
    const account = this.account(tenantId);
    const stored = account.dossiers.get(dossierId);
    if (!stored) throw new HttpError(404, 'no such dossier', {}, apiError('not_found', 'no such dossier'));
    this.sweepAccount(account, Date.now());
    if (to === 'report_available' && !result)
      throw new HttpError(400, 'result required', {}, apiError('result_required', 'report_available needs a result'));
    if (to !== 'report_available' && result)
      throw new HttpError(400, 'result not allowed', {}, apiError('result_not_allowed', 'only report_available carries a result'));
    this.transition(account, stored, to, result ?? null);
    return structuredClone(stored.dossier);
  }

  setFaults(patch: FaultPatch): FaultOptions {
    return this.faults.update(patch);
  }

  stats(tenantId: string): AequivalentSandboxStats {
    return { ...this.account(tenantId).stats };
  }

  /** Delivery records of the account's webhook events (attempts and answers), oldest first. */
  webhookDeliveries(tenantId: string): WebhookDelivery[] {
    return this.account(tenantId).deliveries.map((d) => ({ ...d, responses: [...d.responses] }));
  }

  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.dispatcher.stop();
    await this.server.close();
  }

  // ---------------------------------------------------------------- HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname === '/_sandbox' || url.pathname.startsWith('/_sandbox/')) {
      const found = this.admin.find(req.method ?? 'GET', url.pathname.slice('/_sandbox'.length));
      if (!('route' in found)) throw notFoundOr405(found.methodMismatch);
      await found.route.handler({ req, res, params: found.params, url, ctx: undefined });
      return;
    }

    const [, tenantSegment] = url.pathname.split('/');
    const tenantId = safeDecode(tenantSegment ?? '');
    const account = this.accounts.get(tenantId);
    if (!account) {
      await drain(req);
      throw new HttpError(404, 'unknown account', {}, apiError('unknown_account', 'no account at this path'));
    }
    account.stats.requests += 1;

    const decision = this.faults.decide();
    if (decision.kind !== 'none' && decision.kind !== 'reset') await drain(req);
    if (await applyFault(decision, req, res, (status, message) => apiError(HTTP_ERROR_CODES[status] ?? 'internal_error', message))) return;

    const auth = req.headers.authorization ?? '';
    if (auth !== `Bearer ${account.apiKey}`) {
      await drain(req);
      throw new HttpError(401, 'unauthorized', { 'www-authenticate': 'Bearer' }, apiError('unauthorized', 'missing or invalid API key'));
    }

    this.sweepAccount(account, Date.now());
    const found = this.api.find(req.method ?? 'GET', url.pathname.slice(tenantSegment!.length + 1) || '/');
    if (!('route' in found)) {
      await drain(req);
      throw notFoundOr405(found.methodMismatch);
    }
    await found.route.handler({ req, res, params: found.params, url, ctx: { account, tenantId } });
  }

  private registerRoutes(): void {
    this.api
      .on('POST', '/dossiers', (r) => this.createDossier(r))
      .on('GET', '/dossiers', ({ res, url, ctx }) => {
        const ref = url.searchParams.get('externalReference');
        const all = [...ctx.account.dossiers.values()].map((s) => s.dossier).filter((d) => ref === null || d.externalReference === ref);
        sendJson(res, 200, pageOf(all, url.searchParams));
      })
      .on('GET', '/dossiers/:id', ({ res, params, ctx }) => sendJson(res, 200, this.stored(ctx.account, params.id!).dossier))
      .on('POST', '/dossiers/:id/documents', (r) => this.uploadDocument(r))
      .on('POST', '/dossiers/:id/cancel', async ({ req, res, params, ctx }) => {
        await drain(req);
        const stored = this.stored(ctx.account, params.id!);
        // Cancelling twice is a retry, not a conflict.
        if (stored.dossier.status !== 'cancelled') this.transition(ctx.account, stored, 'cancelled', null);
        sendJson(res, 200, stored.dossier);
      });

    this.admin
      .on('GET', '/faults', ({ res }) => sendJson(res, 200, this.faults.options))
      .on('PUT', '/faults', async ({ req, res }) =>
        sendJson(res, 200, this.setFaults(parseBody(faultPatchSchema, await readJsonBody(req)))),
      )
      .on('POST', '/faults', async ({ req, res }) =>
        sendJson(res, 200, this.setFaults(parseBody(faultPatchSchema, await readJsonBody(req)))),
      )
      .on('GET', '/:tenant/dossiers', ({ res, params }) => sendJson(res, 200, { items: this.dossiers(params.tenant!) }))
      .on('POST', '/:tenant/dossiers/:id/advance', async ({ req, res, params }) => {
        const body = parseBody(advanceBodySchema, await readJsonBody(req));
        sendJson(res, 200, this.advance(params.tenant!, params.id!, body.status, body.result));
      })
      .on('GET', '/:tenant/stats', ({ res, params }) => sendJson(res, 200, this.stats(params.tenant!)))
      .on('GET', '/:tenant/webhooks', ({ res, params }) => sendJson(res, 200, { items: this.webhookDeliveries(params.tenant!) }))
      .on('PUT', '/:tenant/webhook-url', async ({ req, res, params }) => {
        const body = parseBody(webhookUrlBodySchema, await readJsonBody(req));
        this.setWebhookUrl(params.tenant!, body.url ?? undefined);
        sendJson(res, 200, { url: body.url });
      });
  }

  private async createDossier({ req, res, ctx }: RouteContext<Ctx>): Promise<void> {
    const raw = await readJsonBody(req);
    const key = header(req, 'idempotency-key');
    if (!key)
      throw new HttpError(
        400,
        'idempotency key required',
        {},
        apiError('idempotency_key_required', 'the Idempotency-Key header is required'),
      );
    if (key.length > 255)
      throw new HttpError(400, 'idempotency key too long', {}, apiError('invalid_request', 'Idempotency-Key longer than 255 characters'));
    const body: DossierRequest = parseBody(dossierRequestSchema, raw);
    const canonical = canonicalJson(body);

    const now = Date.now();
    const remembered = ctx.account.createKeys.get(key);
    // Past the retention the key is forgotten: the same request creates a second dossier.
    const previous = remembered && now - remembered.atMs < this.idempotencyKeyRetentionMs ? remembered : undefined;
    if (previous) {
      if (previous.body !== canonical) {
        throw new HttpError(
          422,
          'idempotency key reused',
          {},
          apiError('idempotency_key_reused', 'this Idempotency-Key was used with a different request body'),
        );
      }
      sendJson(res, 200, this.stored(ctx.account, previous.dossierId).dossier);
      return;
    }

    const id = `dos_${this.random.guid().replace(/-/g, '')}`;
    const createdAt = new Date(now).toISOString();
    const stored: StoredDossier = {
      createdAtMs: now,
      expiresAtMs: now + this.expireAfterMs,
      lastTransitionAtMs: now,
      dossier: {
        id,
        ...body,
        documents: [],
        status: 'created',
        result: null,
        statusHistory: [{ status: 'created', at: createdAt }],
        createdAt,
        expiresAt: new Date(now + this.expireAfterMs).toISOString(),
      },
    };
    ctx.account.dossiers.set(id, stored);
    ctx.account.createKeys.set(key, { body: canonical, dossierId: id, atMs: now });
    ctx.account.stats.dossiersCreated += 1;
    sendJson(res, 201, stored.dossier, { location: `/${encodeURIComponent(ctx.tenantId)}/dossiers/${id}` });
  }

  private tooLarge(): HttpError {
    return new HttpError(413, 'too large', {}, apiError('document_too_large', `documents are limited to ${this.maxUploadBytes} bytes`));
  }

  /** The upload's bytes, hashed and counted as they stream; past the size limit, a 413. */
  private async hashUpload(req: IncomingMessage): Promise<{ sha256: string; size: number }> {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      // Chunked upload past the limit: read the rest (bounded) so the client gets the 413, not a reset.
      if (size > this.maxUploadBytes) throw await drain(req, this.maxUploadBytes * 4).then(() => this.tooLarge());
      hash.update(chunk);
    }
    return { sha256: hash.digest('hex'), size };
  }

  /** Raw body upload: hashed and counted as it streams, never held in memory (the content is discarded). */
  private async uploadDocument({ req, res, params, ctx }: RouteContext<Ctx>): Promise<void> {
    const stored = ctx.account.dossiers.get(params.id!);
    const problem = uploadHeaderProblem(req);
    if (!stored || problem || isFinal(stored.dossier.status)) {
      await drain(req);
      if (!stored) throw new HttpError(404, 'no such dossier', {}, apiError('not_found', 'no such dossier'));
      if (problem) throw new HttpError(400, problem, {}, apiError('invalid_request', problem));
      throw new HttpError(
        409,
        'dossier closed',
        {},
        apiError('dossier_closed', `the dossier is ${stored.dossier.status}; no more documents`),
      );
    }
    const kind = documentKindSchema.parse(header(req, 'x-document-kind'));
    const fileName = decodeURIComponent(header(req, 'x-file-name')!);
    const contentType = header(req, 'content-type')!;
    const declaredSha = header(req, 'x-content-sha256')?.toLowerCase();
    // A declared size over the limit is refused before reading, with an answer the client can see
    // (cutting the socket mid-upload would look like a network fault and be retried forever).
    if (Number(header(req, 'content-length')) > this.maxUploadBytes) throw await drain(req).then(() => this.tooLarge());

    const { sha256, size } = await this.hashUpload(req);
    if (declaredSha && declaredSha !== sha256) {
      throw new HttpError(422, 'checksum mismatch', {}, apiError('checksum_mismatch', 'the received bytes do not match X-Content-SHA256'));
    }

    const key = header(req, 'idempotency-key');
    const fingerprint = canonicalJson({ kind, fileName, contentType, sha256, size });
    const keyId = key ? `${stored.dossier.id}\n${key}` : undefined;
    const previous = keyId ? ctx.account.uploadKeys.get(keyId) : undefined;
    if (previous) {
      if (previous.fingerprint !== fingerprint) {
        throw new HttpError(
          422,
          'idempotency key reused',
          {},
          apiError('idempotency_key_reused', 'this Idempotency-Key was used for a different document'),
        );
      }
      sendJson(res, 200, previous.document);
      return;
    }
    const document: DossierDocument = {
      id: `doc_${this.random.guid().replace(/-/g, '')}`,
      kind,
      fileName,
      contentType,
      size,
      sha256,
      uploadedAt: new Date().toISOString(),
    };
    stored.dossier.documents.push(document);
    if (keyId) ctx.account.uploadKeys.set(keyId, { fingerprint, document });
    ctx.account.stats.uploads += 1;
    sendJson(res, 201, document);
  }

  // ---------------------------------------------------------------- lifecycle

  private transition(account: Account, stored: StoredDossier, to: DossierStatus, result: DossierResult | null): void {
    const from = stored.dossier.status;
    if (!canTransition(from, to)) throw new SandboxTransitionError(from, to);
    const now = Date.now();
    const at = new Date(now).toISOString();
    stored.dossier.status = to;
    stored.dossier.result = to === 'report_available' ? result : null;
    stored.dossier.statusHistory.push({ status: to, at });
    stored.lastTransitionAtMs = now;

    const event: WebhookEvent = {
      id: `evt_${this.random.guid().replace(/-/g, '')}`,
      type: WEBHOOK_EVENT_TYPE,
      dossierId: stored.dossier.id,
      externalReference: stored.dossier.externalReference,
      status: to,
      result: stored.dossier.result,
      occurredAt: at,
    };
    const delivery = this.dispatcher.dispatch(event, { url: account.webhookUrl, secret: account.webhookSecret });
    if (delivery.state !== 'no_url') account.stats.webhooksSent += 1;
    account.deliveries.push(delivery);
  }

  private countAttempt(delivery: WebhookDelivery): void {
    for (const account of this.accounts.values()) {
      if (!account.deliveries.includes(delivery)) continue;
      account.stats.webhookAttempts += 1;
      if (delivery.state === 'delivered') account.stats.webhooksDelivered += 1;
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const account of this.accounts.values()) this.sweepAccount(account, now);
  }

  private sweepAccount(account: Account, now: number): void {
    for (const stored of account.dossiers.values()) {
      const status = stored.dossier.status;
      if (isFinal(status)) continue;
      if (now >= stored.expiresAtMs) {
        this.transition(account, stored, 'expired', null);
        continue;
      }
      if (this.mode !== 'auto' || now - stored.lastTransitionAtMs < this.stepMs) continue;
      const next = nextAutoStep(status, this.outcomeFor(stored.dossier));
      if (next) this.transition(account, stored, next.status, next.result);
    }
  }

  private outcomeFor(dossier: Dossier): AutoOutcome {
    const configured = this.options.lifecycle?.outcome;
    const partial = typeof configured === 'function' ? configured(structuredClone(dossier)) : configured;
    return { ...DEFAULT_AUTO_OUTCOME, ...partial };
  }

  private account(tenantId: string): Account {
    const account = this.accounts.get(tenantId);
    if (!account) throw new HttpError(404, 'unknown account', {}, apiError('unknown_account', `no sandbox account "${tenantId}"`));
    return account;
  }

  private stored(account: Account, id: string): StoredDossier {
    const stored = account.dossiers.get(id);
    if (!stored) throw new HttpError(404, 'no such dossier', {}, apiError('not_found', 'no such dossier'));
    return stored;
  }
}

function apiError(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

function notFoundOr405(methodMismatch: boolean): HttpError {
  return methodMismatch
    ? new HttpError(405, 'method not allowed', {}, apiError('method_not_allowed', 'method not allowed'))
    : new HttpError(404, 'not found', {}, apiError('not_found', 'no such route'));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first && first.length > 0 ? first : undefined;
}

function uploadHeaderProblem(req: IncomingMessage): string | undefined {
  if (!header(req, 'content-type')) return 'Content-Type is required';
  const name = header(req, 'x-file-name');
  if (!name) return 'X-File-Name is required';
  try {
    if (decodeURIComponent(name).length === 0) return 'X-File-Name is empty';
  } catch {
    return 'X-File-Name must be percent-encoded UTF-8';
  }
  if (!documentKindSchema.safeParse(header(req, 'x-document-kind')).success) return 'X-Document-Kind must be cv or other';
  return undefined;
}

/** Paths only in the message: values may be personal data. */
function parseBody<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  throw new HttpError(400, 'invalid request', {}, apiError('invalid_request', `invalid request body (${where})`));
}

/**
 * Consumes a request body we will not use, so the client gets our answer instead of a broken pipe;
 * past `maxBytes` (an endless upload) the connection is cut after all.
 */
async function drain(req: IncomingMessage, maxBytes = Infinity): Promise<void> {
  if (req.readableEnded) return;
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        req.destroy();
        return;
      }
    }
  } catch {
    // the client went away; nothing to answer
  }
}

/** Contract codes of the errors the shared kit raises (body not JSON, too large, timeout, faults). */
const HTTP_ERROR_CODES: Record<number, string> = {
  400: 'invalid_request',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  413: 'payload_too_large',
  429: 'rate_limited',
  500: 'internal_error',
  502: 'unavailable',
  503: 'unavailable',
  504: 'unavailable',
};

/** Any error in the contract's one `Error` shape (kit errors come without a body of their own). */
function inContract(err: unknown): HttpError {
  if (err instanceof HttpError)
    return err.body === undefined
      ? new HttpError(err.status, err.message, err.headers, apiError(HTTP_ERROR_CODES[err.status] ?? 'internal_error', err.message))
      : err;
  return new HttpError(500, 'internal error', {}, apiError('internal_error', 'internal error'));
}

const pagingSchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  perPage: z.coerce.number().int().min(1).max(500).default(100),
});

/** One page of a list, as the contract's lists are paged. */
function pageOf<T>(
  all: T[],
  params: URLSearchParams,
): { items: T[]; page: number; perPage: number; total: number; nextPage: number | null } {
  const parsed = pagingSchema.safeParse({ page: params.get('page') ?? undefined, perPage: params.get('perPage') ?? undefined });
  if (!parsed.success)
    throw new HttpError(400, 'invalid paging', {}, apiError('invalid_request', 'page must be ≥ 1 and perPage between 1 and 500'));
  const { page, perPage } = parsed.data;
  const items = all.slice((page - 1) * perPage, page * perPage);
  return { items, page, perPage, total: all.length, nextPage: page * perPage < all.length ? page + 1 : null };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}
