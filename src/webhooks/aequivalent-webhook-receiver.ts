import { randomBytes } from 'node:crypto';
import { readRawBody, sendJson } from './receiver-http';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, webhookEventSchema, type WebhookEvent } from '../connectors/aequivalent-screening/aequivalent/schemas';
import { verifyWebhook } from '../connectors/aequivalent-screening/aequivalent/webhook-signature';
import { InMemoryDeliveryLedger, type DeliveryLedger } from './delivery-ledger';

export interface WebhookReceiverLogLine {
  level: 'info' | 'warn' | 'error';
  msg: string;
  tenantId?: string;
  eventId?: string;
  dossierId?: string;
  status?: string;
  reason?: string;
}

export interface WebhookReceiverOptions {
  port?: number;
  /** Webhook secret per tenant, looked up per request (tenants may be added while running); missing → answered like a bad signature (401). */
  secretsByTenant: { get(tenantId: string): string | undefined };
  /** Must resolve only once the event is safely handed over (e.g. the workflow was signalled). */
  onEvent: (tenantId: string, event: WebhookEvent) => Promise<void>;
  toleranceSeconds?: number;
  /** How far in the future a signature's timestamp may be (clock skew); default 30 s. */
  futureSkewSeconds?: number;
  /** Deliveries already handed over (replays are acknowledged, not handed over again); default: this process's memory. */
  deliveries?: DeliveryLedger;
  /** Test hook for the signature clock. */
  nowSeconds?: () => number;
  /** Structured log sink: ids, statuses and reasons only, never the body. Default: silent. */
  log?: (line: WebhookReceiverLogLine) => void;
  maxBodyBytes?: number;
  /** Loopback by default; `0.0.0.0` when the receiver is its own service (Docker Compose). */
  host?: string;
}

export interface RunningWebhookReceiver {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The URL to register at Aequivalent for one tenant. */
  urlFor(tenantId: string): string;
  stop(): Promise<void>;
}

/**
 * `POST /webhooks/aequivalent/{tenantId}`. The signature is checked over the raw bytes before
 * anything is parsed; 2xx only after `onEvent` succeeded, so a failed hand-over (5xx) makes
 * Aequivalent deliver again. Deliveries are at least once: `onEvent` must tolerate duplicates.
 */
export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<RunningWebhookReceiver> {
  const log = options.log ?? (() => undefined);
  const ctx: ReceiverContext = {
    options,
    log,
    now: options.nowSeconds ?? (() => Math.floor(Date.now() / 1000)),
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    unknownTenantSecret: randomBytes(32).toString('hex'),
    toleranceSeconds: options.toleranceSeconds ?? 300,
    futureSkewSeconds: options.futureSkewSeconds ?? DEFAULT_FUTURE_SKEW_SECONDS,
    deliveries: options.deliveries ?? new InMemoryDeliveryLedger(),
  };
  // Plain node:http on purpose (no dependency on the sandbox kit): this runs in production.
  const server = createServer((req, res) => {
    handleDelivery(ctx, req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof HttpError) return sendJson(res, err.status, err.body, err.headers);
      log({ level: 'error', msg: 'webhook receiver failure', reason: (err as Error)?.name ?? 'error' });
      sendJson(res, 500, { error: 'internal' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    port: (server.address() as AddressInfo).port,
    url,
    urlFor: (tenantId) => `${url}/webhooks/aequivalent/${encodeURIComponent(tenantId)}`,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await ctx.deliveries.close();
    },
  };
}

interface ReceiverContext {
  options: WebhookReceiverOptions;
  log: (line: WebhookReceiverLogLine) => void;
  now: () => number;
  maxBodyBytes: number;
  /** Unknown tenants are verified against this throw-away secret (see verifiedBody). */
  unknownTenantSecret: string;
  toleranceSeconds: number;
  futureSkewSeconds: number;
  deliveries: DeliveryLedger;
}

/** Signatures dated later than this ahead of our clock are refused: a far-future timestamp would stretch a capture's replay window. */
export const DEFAULT_FUTURE_SKEW_SECONDS = 30;

/** Route → signature over the raw bytes → event shape → hand-over; 2xx only once handed over. */
async function handleDelivery(ctx: ReceiverContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const tenantId = tenantFromPath(new URL(req.url ?? '/', 'http://receiver').pathname);
  if (tenantId === undefined) throw new HttpError(404, 'not found', {}, { error: 'not_found' });
  if (req.method !== 'POST') throw new HttpError(405, 'method not allowed', { allow: 'POST' }, { error: 'method_not_allowed' });
  const event = parseEvent(ctx, tenantId, await verifiedBody(ctx, req, tenantId));
  const ids = { tenantId, eventId: event.id, dossierId: event.dossierId, status: event.status };
  if (!(await claimDelivery(ctx, tenantId, event.id))) {
    // 2xx: a lost acknowledgement's redelivery is answered too, so Aequivalent stops; nothing is handed over.
    ctx.log({ level: 'warn', msg: 'webhook already handed over (replay or redelivery); not handed over again', ...ids });
    return sendJson(res, 200, { received: true, id: event.id, duplicate: true });
  }
  try {
    await ctx.options.onEvent(tenantId, event);
  } catch (err) {
    await ctx.deliveries.forget(tenantId, event.id).catch(() => undefined);
    // Name only: the error message of a downstream failure may quote data.
    ctx.log({ level: 'error', msg: 'webhook hand-over failed; Aequivalent will retry', ...ids, reason: (err as Error)?.name ?? 'error' });
    throw new HttpError(503, 'try again', {}, { error: 'handover_failed' });
  }
  ctx.log({ level: 'info', msg: 'webhook accepted', ...ids });
  sendJson(res, 200, { received: true, id: event.id });
}

/**
 * The raw body, once its signature holds. An unknown tenant is checked against a throw-away secret
 * and answered exactly like a bad signature (same status, body and work): the answers never tell
 * which tenants exist.
 */
async function verifiedBody(ctx: ReceiverContext, req: IncomingMessage, tenantId: string): Promise<Buffer> {
  const secret = ctx.options.secretsByTenant.get(tenantId);
  const raw = await readRawBody(
    req,
    ctx.maxBodyBytes,
    () => new HttpError(413, 'too large', { connection: 'close' }, { error: 'body_too_large' }),
  );
  const verification = verifyWebhook(
    secret ?? ctx.unknownTenantSecret,
    req.headers[SIGNATURE_HEADER],
    raw,
    ctx.now(),
    ctx.toleranceSeconds,
    ctx.futureSkewSeconds,
  );
  if (secret === undefined || !verification.ok) {
    const reason = secret === undefined ? 'unknown_tenant' : verification.ok ? undefined : verification.reason;
    ctx.log({ level: 'warn', msg: 'webhook rejected', tenantId, reason });
    throw new HttpError(401, 'unauthorized', {}, UNAUTHORIZED);
  }
  return raw;
}

/**
 * First hand-over of this event id while a copy of the delivery could still be accepted (its
 * timestamp at most the tolerance old, and at most the skew ahead). A ledger failure is a 503.
 */
async function claimDelivery(ctx: ReceiverContext, tenantId: string, eventId: string): Promise<boolean> {
  try {
    return await ctx.deliveries.claim(tenantId, eventId, ctx.toleranceSeconds + ctx.futureSkewSeconds);
  } catch (err) {
    ctx.log({
      level: 'error',
      msg: 'webhook delivery ledger unavailable; Aequivalent will retry',
      tenantId,
      eventId,
      reason: (err as Error)?.name ?? 'error',
    });
    throw new HttpError(503, 'try again', {}, { error: 'ledger_unavailable' });
  }
}

function parseEvent(ctx: ReceiverContext, tenantId: string, raw: Buffer): WebhookEvent {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    ctx.log({ level: 'warn', msg: 'webhook body is not JSON', tenantId });
    throw new HttpError(400, 'bad json', {}, { error: 'invalid_json' });
  }
  const parsed = webhookEventSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((i) => i.path.join('.') || '(root)')
      .join(', ');
    ctx.log({ level: 'warn', msg: 'webhook body has an unexpected shape', tenantId, reason: where });
    throw new HttpError(400, 'bad shape', {}, { error: 'invalid_event', fields: where });
  }
  return parsed.data;
}

/** The one answer to every unauthenticated delivery (unknown tenant, missing, stale or wrong signature). */
const UNAUTHORIZED = { error: 'unauthorized' };

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string>,
    readonly body: unknown,
  ) {
    super(message);
  }
}

function tenantFromPath(path: string): string | undefined {
  const match = /^\/webhooks\/aequivalent\/([^/]+)\/?$/.exec(path);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}
