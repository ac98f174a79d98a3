import { luccaEventKey } from '../integrations/lucca-api/event-key';
import { randomBytes } from 'node:crypto';
import { readRawBody, sendJson as send } from './receiver-http';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { employeeIdOf } from '../integrations/lucca-api/employee-topics';
import { luccaEventSchema, type LuccaEvent } from '../integrations/lucca-api/lucca-api-schemas';
import { LUCCA_SIGNATURE_HEADER, LUCCA_TIMESTAMP_HEADER, verifyLuccaDelivery } from '../integrations/lucca-api/lucca-webhook-signature';
import type { EmployeesChanged } from '../shared/lucca-change-feed-contract';
import { RecentIds } from './recent-ids';

export interface LuccaWebhookLogLine {
  level: 'info' | 'warn' | 'error';
  msg: string;
  tenantId?: string;
  eventId?: string;
  topic?: string;
  reason?: string;
}

export interface LuccaWebhookReceiverOptions {
  port?: number;
  /** Loopback by default; `0.0.0.0` when the receiver is its own service. */
  host?: string;
  /** The endpoint's signing secret per tenant, looked up per delivery; undefined → answered like a bad signature (401). */
  secretsByTenant: { get(tenantId: string): string | undefined };
  /** Must resolve only once the change is handed over (the change feeds were signalled). */
  onChange: (tenantId: string, change: EmployeesChanged) => Promise<void>;
  /** Lucca documents ± 5 minutes. */
  toleranceSeconds?: number;
  nowMs?: () => number;
  /** Ids, topics and reasons only, never a body. Default: silent. */
  log?: (line: LuccaWebhookLogLine) => void;
  maxBodyBytes?: number;
  /** Event ids remembered per process to drop duplicates (the change feed deduplicates too). */
  dedupeCapacity?: number;
}

export interface RunningLuccaWebhookReceiver {
  port: number;
  url: string;
  /** The `webhookUrl` to register at Lucca for one tenant. */
  urlFor(tenantId: string): string;
  stop(): Promise<void>;
}

interface ReceiverContext {
  options: LuccaWebhookReceiverOptions;
  log: (line: LuccaWebhookLogLine) => void;
  recent: RecentIds;
  /** Unknown tenants are verified against this throw-away secret: the answer never tells which tenants exist. */
  unknownTenantSecret: string;
}

/**
 * `GET|POST /webhooks/lucca/{tenantId}`: the activation challenge (echo), then signed events.
 * The signature is checked over the raw bytes before anything is parsed; duplicates (same event
 * id) are acknowledged without a second hand-over; 2xx only once the change feeds were signalled,
 * so a failed hand-over (503) makes Lucca deliver again.
 */
export async function startLuccaWebhookReceiver(options: LuccaWebhookReceiverOptions): Promise<RunningLuccaWebhookReceiver> {
  const ctx: ReceiverContext = {
    options,
    log: options.log ?? (() => undefined),
    recent: new RecentIds(options.dedupeCapacity ?? 10_000),
    unknownTenantSecret: randomBytes(32).toString('hex'),
  };
  const server = createServer((req, res) => {
    route(ctx, req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof ReceiverHttpError) return send(res, err.status, err.body, err.headers);
      ctx.log({ level: 'error', msg: 'lucca webhook receiver failure', reason: (err as Error)?.name ?? 'error' });
      send(res, 500, { error: 'internal' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    port,
    url,
    urlFor: (tenantId) => `${url}/webhooks/lucca/${encodeURIComponent(tenantId)}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(ctx: ReceiverContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://receiver');
  const tenantId = tenantFromPath(url.pathname);
  if (tenantId === undefined) throw new ReceiverHttpError(404, { error: 'not_found' });
  if (req.method === 'GET') return answerChallenge(url, res);
  if (req.method !== 'POST') throw new ReceiverHttpError(405, { error: 'method_not_allowed' }, { allow: 'GET, POST' });
  const event = parseEvent(ctx, tenantId, await verifiedBody(ctx, req, tenantId));
  await handOver(ctx, tenantId, event);
  send(res, 200, { received: true });
}

/** Lucca's activation: `GET ?echo=<value>` (older page: `?challenge=`) answered 200 `text/plain` with the value. */
function answerChallenge(url: URL, res: ServerResponse): void {
  const value = url.searchParams.get('echo') ?? url.searchParams.get('challenge');
  // Reflect only a short token-like value: this answer must not become a way to serve content.
  if (!value || !/^[A-Za-z0-9._~-]{1,512}$/.test(value)) throw new ReceiverHttpError(400, { error: 'invalid_challenge' });
  res.writeHead(200, {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'content-length': String(Buffer.byteLength(value)),
  });
  res.end(value);
}

async function verifiedBody(ctx: ReceiverContext, req: IncomingMessage, tenantId: string): Promise<Buffer> {
  const secret = ctx.options.secretsByTenant.get(tenantId);
  const raw = await readRawBody(
    req,
    ctx.options.maxBodyBytes ?? 256 * 1024,
    () => new ReceiverHttpError(413, { error: 'body_too_large' }, { connection: 'close' }),
  );
  const now = (ctx.options.nowMs ?? Date.now)();
  const headers = { signature: req.headers[LUCCA_SIGNATURE_HEADER], timestamp: req.headers[LUCCA_TIMESTAMP_HEADER] };
  const verification = verifyLuccaDelivery(secret ?? ctx.unknownTenantSecret, headers, raw, now, ctx.options.toleranceSeconds ?? 300);
  if (secret === undefined || !verification.ok) {
    const reason = secret === undefined ? 'unknown_tenant' : verification.ok ? undefined : verification.reason;
    ctx.log({ level: 'warn', msg: 'lucca webhook rejected', tenantId, reason });
    throw new ReceiverHttpError(401, { error: 'unauthorized' });
  }
  return raw;
}

function parseEvent(ctx: ReceiverContext, tenantId: string, raw: Buffer): LuccaEvent {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    ctx.log({ level: 'warn', msg: 'lucca webhook body is not JSON', tenantId });
    throw new ReceiverHttpError(400, { error: 'invalid_json' });
  }
  const parsed = luccaEventSchema.safeParse(json);
  if (!parsed.success) {
    ctx.log({
      level: 'warn',
      msg: 'lucca webhook body has an unexpected shape',
      tenantId,
      reason: parsed.error.issues
        .slice(0, 3)
        .map((i) => i.path.join('.') || '(root)')
        .join(', '),
    });
    throw new ReceiverHttpError(400, { error: 'invalid_event' });
  }
  return parsed.data;
}

/** Signals the employee's id (never the event's data: it may be stale, and it is personal data). */
async function handOver(ctx: ReceiverContext, tenantId: string, event: LuccaEvent): Promise<void> {
  const ids = { tenantId, eventId: event.id, topic: event.topic };
  const eventKey = luccaEventKey(event);
  const key = `${tenantId}/${eventKey}`;
  if (ctx.recent.has(key)) return ctx.log({ level: 'info', msg: 'lucca webhook duplicate; acknowledged', ...ids });
  const employeeId = employeeIdOf(event);
  if (employeeId === undefined) {
    ctx.recent.add(key);
    return ctx.log({ level: 'info', msg: 'lucca webhook about no employee; acknowledged', ...ids });
  }
  const occurredAt = Date.parse(event.occurredAt);
  const observedAt = new Date(Number.isNaN(occurredAt) ? (ctx.options.nowMs ?? Date.now)() : occurredAt).toISOString();
  try {
    await ctx.options.onChange(tenantId, { employeeIds: [employeeId], source: 'webhook', eventIds: [eventKey], observedAt });
  } catch (err) {
    ctx.log({ level: 'error', msg: 'lucca webhook hand-over failed; Lucca will retry', ...ids, reason: (err as Error)?.name ?? 'error' });
    throw new ReceiverHttpError(503, { error: 'handover_failed' });
  }
  ctx.recent.add(key);
  ctx.log({ level: 'info', msg: 'lucca webhook accepted', ...ids });
}

class ReceiverHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

function tenantFromPath(path: string): string | undefined {
  const match = /^\/webhooks\/lucca\/([^/]+)\/?$/.exec(path);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}
