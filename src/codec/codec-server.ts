import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { encodeRefusal, mayDecode, placesOf } from './codec-access';
import { createCodecAuthenticator, type CodecAuthOptions, type CodecCaller } from './codec-authenticator';

/**
 * Codec server for the Temporal Web UI and CLI (`POST /encode`, `POST /decode`, payloads in
 * proto-JSON form with base64 bytes). Only authenticated callers may use it (see
 * codec-authenticator.ts: the UI's forwarded OIDC token, or a named bearer token); CORS answers only
 * the configured UI origins; a caller decodes only the tenants their grant lists and encodes only
 * with an encode grant, for a named workflow (codec-access.ts); every request leaves one audit line
 * (who, namespace, tenants, workflows, how many payloads, never their content).
 */
export interface CodecServerOptions {
  /** With `tenantOfWorkflow` (the AES-GCM codec has it) a payload bound to a workflow is authorised by that workflow's tenant. */
  codec: PayloadCodec & { tenantOfWorkflow?(workflowId: string): string | undefined };
  auth: CodecAuthOptions;
  /** Web UI origins allowed by CORS (a browser calls the codec server from the UI's page). */
  allowedOrigins: readonly string[];
  port?: number;
  host?: string;
  /**
   * `npm start` only, never read from a config file: no authentication, for the local dev-server UI
   * that has no login. Refused unless the server listens on loopback, and then it answers loopback
   * peers only.
   */
  localUnauthenticated?: boolean;
  /** One line per request. */
  audit?: (line: CodecAuditLine) => void;
  maxBodyBytes?: number;
}

export interface CodecAuditLine {
  msg: 'codec request';
  action: 'encode' | 'decode' | 'preflight' | 'other';
  status: number;
  /** `oidc:<user>`, `token:<name>`, `local`, or `anonymous` when refused. */
  who: string;
  namespace?: string;
  payloads?: number;
  /** The tenants and workflows the payloads were sealed for (ids hold no personal data). */
  tenants?: string[];
  workflows?: string[];
}

export interface RunningCodecServer {
  url: string;
  port: number;
  /** The endpoint to give the Temporal UI (`--ui-codec-endpoint`, `TEMPORAL_CODEC_ENDPOINT`): no credential in it. */
  uiEndpoint: string;
  stop(): Promise<void>;
}

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const DEFAULT_MAX_BODY = 4 * 1024 * 1024; // Temporal's gRPC message limit
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const host = options.host ?? '127.0.0.1';
  if (options.localUnauthenticated && !LOOPBACK_HOSTS.has(host))
    throw new Error(`codec server: the unauthenticated local mode listens on loopback only, not ${host}`);
  const ctx: RequestContext = {
    options,
    authenticate: createCodecAuthenticator(options.auth),
    maxBody: options.maxBodyBytes ?? DEFAULT_MAX_BODY,
    origins: new Set(options.allowedOrigins),
  };
  const audit = options.audit ?? (() => undefined);
  const server: Server = createServer((req, res) => {
    const line: CodecAuditLine = { msg: 'codec request', action: 'other', status: 500, who: 'anonymous', namespace: namespaceOf(req) };
    handleRequest(ctx, req, res, line)
      .catch(() => send(res, 500, { error: 'codec_failed' }, line))
      .finally(() => audit(line));
  });
  const port = await listen(server, options.port ?? 8888, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    uiEndpoint: url,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface RequestContext {
  options: CodecServerOptions;
  authenticate: ReturnType<typeof createCodecAuthenticator>;
  maxBody: number;
  origins: Set<string>;
}

/** CORS first (the UI's preflight), then route, origin, caller, body, codec: each refusal has its own status. */
async function handleRequest(ctx: RequestContext, req: IncomingMessage, res: ServerResponse, line: CodecAuditLine): Promise<void> {
  const origin = req.headers.origin;
  const originAllowed = origin !== undefined && ctx.origins.has(origin);
  if (originAllowed) allowCors(res, origin);
  const path = new URL(req.url ?? '/', 'http://codec').pathname;
  if (req.method === 'OPTIONS') {
    line.action = 'preflight';
    return send(res, originAllowed ? 204 : 403, null, line);
  }
  if (req.method !== 'POST' || (path !== '/encode' && path !== '/decode')) return send(res, 404, { error: 'not_found' }, line);
  line.action = path === '/encode' ? 'encode' : 'decode';
  if (origin !== undefined && !originAllowed) return send(res, 403, { error: 'origin_not_allowed' }, line);
  const caller = await callerOf(ctx, req);
  if (!caller) return send(res, 401, { error: 'unauthorized' }, line, { 'www-authenticate': 'Bearer' });
  line.who = caller.kind === 'local' ? 'local' : `${caller.kind}:${caller.who}`;

  const body = await readBody(req, ctx.maxBody);
  if (body === undefined) return send(res, 413, { error: 'too_large', maxBytes: ctx.maxBody }, line, { connection: 'close' });
  const payloads = parsePayloads(body);
  if (typeof payloads === 'string') return send(res, 400, { error: payloads }, line);
  line.payloads = payloads.length;
  return line.action === 'encode' ? encodeFor(ctx, caller, req, res, payloads, line) : decodeFor(ctx, caller, res, payloads, line);
}

/** Decodes only payloads of the caller's tenants; the audit line names them and their workflows. */
async function decodeFor(
  ctx: RequestContext,
  caller: CodecCaller,
  res: ServerResponse,
  payloads: Payload[],
  line: CodecAuditLine,
): Promise<void> {
  const places = placesOf(payloads, tenantLookup(ctx));
  line.tenants = places.tenants;
  line.workflows = places.workflows.slice(0, MAX_AUDITED_WORKFLOWS);
  if (!mayDecode(caller, places)) return send(res, 403, { error: 'tenant_not_allowed' }, line);
  try {
    send(res, 200, { payloads: (await ctx.options.codec.decode(payloads)).map(toJson) }, line);
  } catch {
    send(res, 422, { error: 'cannot_decode' }, line);
  }
}

/** Seals for the workflow named in `X-Workflow-Id`, bound to it (and its tenant): workers refuse it anywhere else. */
async function encodeFor(
  ctx: RequestContext,
  caller: CodecCaller,
  req: IncomingMessage,
  res: ServerResponse,
  payloads: Payload[],
  line: CodecAuditLine,
): Promise<void> {
  const workflowId = workflowIdOf(req);
  const tenant = workflowId ? tenantLookup(ctx)(workflowId) : undefined;
  line.tenants = tenant ? [tenant] : [];
  line.workflows = workflowId ? [workflowId] : [];
  const refusal = encodeRefusal(caller, workflowId, tenant);
  if (refusal) return send(res, refusal === 'workflow_required' ? 400 : 403, { error: refusal }, line);
  const out = await ctx.options.codec.encode(payloads, {
    type: 'workflow',
    namespace: line.namespace ?? 'default',
    workflowId: workflowId!,
  });
  send(res, 200, { payloads: out.map(toJson) }, line);
}

const MAX_AUDITED_WORKFLOWS = 20;

function tenantLookup(ctx: RequestContext): (workflowId: string) => string | undefined {
  return (workflowId) => ctx.options.codec.tenantOfWorkflow?.(workflowId);
}

function workflowIdOf(req: IncomingMessage): string | undefined {
  const value = req.headers['x-workflow-id'];
  // Logged, so only a plausible workflow id gets in (no log injection).
  return typeof value === 'string' && /^[A-Za-z0-9._:/@+=-]{1,256}$/.test(value) ? value : undefined;
}

function allowCors(res: ServerResponse, origin: string): void {
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-allow-headers', 'content-type, x-namespace, x-workflow-id, authorization');
  res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
  res.setHeader('access-control-allow-credentials', 'true');
  res.setHeader('vary', 'origin');
}

/** The payloads of a codec request, or the error code of a malformed body. */
function parsePayloads(body: Buffer): Payload[] | 'payloads_required' | 'invalid_json' {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { payloads?: JsonPayload[] };
    return Array.isArray(parsed.payloads) ? parsed.payloads.map(fromJson) : 'payloads_required';
  } catch {
    return 'invalid_json';
  }
}

async function callerOf(ctx: RequestContext, req: IncomingMessage): Promise<CodecCaller | undefined> {
  // Local mode (`npm start`, loopback only): every sandbox tenant; encoding still bound to a named workflow.
  if (ctx.options.localUnauthenticated)
    return isLoopback(req.socket.remoteAddress) ? { kind: 'local', who: 'local', tenants: ['*'], encode: true } : undefined;
  return ctx.authenticate(req.headers.authorization);
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`codec server: port ${port} is already in use (another \`npm start\` or codec server running?)`)
          : err,
      ),
    );
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}

function namespaceOf(req: IncomingMessage): string | undefined {
  const value = req.headers['x-namespace'];
  // Logged, so only a plausible namespace name gets in (no log injection).
  return typeof value === 'string' && /^[A-Za-z0-9._-]{1,128}$/.test(value) ? value : undefined;
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function fromJson(p: JsonPayload): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = Buffer.from(v, 'base64');
  return { metadata, data: Buffer.from(p.data ?? '', 'base64') };
}

function toJson(p: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) if (v) metadata[k] = Buffer.from(v).toString('base64');
  return { metadata, data: Buffer.from(p.data ?? []).toString('base64') };
}

function send(res: ServerResponse, status: number, body: unknown, line: CodecAuditLine, headers: Record<string, string> = {}): void {
  line.status = status;
  if (res.headersSent) return;
  if (body === null) return void res.writeHead(status, headers).end();
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/**
 * The body, or undefined past the cap. An oversized body is still read to its end (and dropped) so
 * the client receives the 413 instead of a connection reset; past 4× the cap the connection is cut.
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > 4 * maxBytes) {
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else if (size > 4 * maxBytes) req.destroy();
    });
    req.on('end', () => resolve(size > maxBytes ? undefined : Buffer.concat(chunks)));
    req.on('close', () => resolve(undefined)); // aborted mid-body (after 'end' this is a no-op)
    req.on('error', reject);
  });
}
