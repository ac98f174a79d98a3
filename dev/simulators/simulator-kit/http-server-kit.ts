import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultDecision } from './fault-injector';

/**
 * Minimal plumbing for the node:http simulators: start/stop on loopback, JSON bodies with a size
 * cap, JSON replies, path-pattern routing and applying a fault decision. No framework on purpose.
 */

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Thrown by handlers to answer with a status and a short JSON body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Body sent instead of the default `{ status, message }`. */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface RunningHttpServer {
  readonly server: Server;
  readonly port: number;
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/**
 * Starts a server on 127.0.0.1 (`port: 0` = any free port). Uncaught handler errors become 500.
 * `latencyMs` delays every answer, as a SaaS API tens or hundreds of milliseconds away would (bench).
 */
export async function startHttpServer(handler: RequestHandler, port = 0, latencyMs = 0): Promise<RunningHttpServer> {
  const server = createServer((req, res) => {
    (latencyMs > 0 ? new Promise<void>((r) => setTimeout(r, latencyMs)) : Promise.resolve())
      .then(() => handler(req, res))
      .catch((err: unknown) => sendError(res, err));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback unless a container needs the simulators reachable from its neighbours.
    server.listen(port, process.env.LUCCA_CONNECTORS_SANDBOX_HOST ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    server,
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets and held (timeout-fault) requests would keep close() waiting.
        server.closeAllConnections();
      }),
  };
}

/** Answers an error thrown by a handler: HttpError → its status, anything else → 500 without details. */
export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  if (err instanceof HttpError) {
    sendJson(res, err.status, err.body ?? { status: err.status, message: err.message }, err.headers);
    return;
  }
  sendJson(res, 500, { status: 500, message: 'Internal server error' });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text).toString(),
    ...headers,
  });
  res.end(text);
}

export function sendBytes(
  res: ServerResponse,
  status: number,
  bytes: Buffer,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': bytes.length.toString(), ...headers });
  res.end(bytes);
}

/**
 * Reads the whole body. Past `maxBytes` the rest is drained (so the client still gets the answer
 * rather than a broken pipe) and a 413 is thrown.
 */
export async function readRawBody(req: IncomingMessage, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      tooLarge = true;
      // Give up on absurd uploads instead of draining forever.
      if (size > maxBytes * 64) {
        req.destroy();
        break;
      }
      continue;
    }
    chunks.push(chunk);
  }
  if (tooLarge) throw new HttpError(413, `Request body larger than ${maxBytes} bytes`);
  return Buffer.concat(chunks);
}

/** Reads a JSON body (empty body → undefined). Bad JSON → 400. */
export async function readJsonBody(req: IncomingMessage, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<unknown> {
  const raw = await readRawBody(req, maxBytes);
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON');
  }
}

/**
 * Matches `/api/v3/users/:id` against a path. Returns decoded params or null.
 * Segments compare case-insensitively (Lucca paths are), params keep their case.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w.toLowerCase() !== g.toLowerCase()) {
      return null;
    }
  }
  return params;
}

export interface RouteContext<C> {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  url: URL;
  /** Whatever the caller passes along (e.g. the tenant). */
  ctx: C;
}

interface Route<C> {
  method: string;
  pattern: string;
  /** Stable name for stats, e.g. "GET /api/v3/users/:id". */
  name: string;
  handler: (route: RouteContext<C>) => Promise<void> | void;
}

/** A list of (method, pattern) routes; first match wins. */
export class JsonRouter<C = undefined> {
  private readonly routes: Route<C>[] = [];

  on(method: string, pattern: string, handler: Route<C>['handler']): this {
    this.routes.push({ method: method.toUpperCase(), pattern, name: `${method.toUpperCase()} ${pattern}`, handler });
    return this;
  }

  /** Finds the route for a request; `methodMismatch` when the path exists for another method (→ 405). */
  find(method: string, path: string): { route: Route<C>; params: Record<string, string> } | { methodMismatch: boolean } {
    let methodMismatch = false;
    for (const route of this.routes) {
      const params = matchPath(route.pattern, path);
      if (!params) continue;
      if (route.method === method.toUpperCase()) return { route, params };
      methodMismatch = true;
    }
    return { methodMismatch };
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The body of an error answer in a simulator's own contract (Lucca's older v3 shape by default). */
export type ErrorBodyOf = (status: number, message: string) => unknown;

const luccaErrorBody: ErrorBodyOf = (status, message) => ({ status, message });

/**
 * Applies a fault decision. Returns true when the request has been consumed by the fault (answered
 * or dropped) and must not be handled further. Answers use `errorBody`, so each simulator's faults
 * stay within its contract.
 */
export async function applyFault(
  decision: FaultDecision,
  req: IncomingMessage,
  res: ServerResponse,
  errorBody: ErrorBodyOf = luccaErrorBody,
): Promise<boolean> {
  switch (decision.kind) {
    case 'none':
      if (decision.latencyMs > 0) await sleep(decision.latencyMs);
      return false;
    case 'reset':
      req.socket.destroy();
      return true;
    case 'timeout': {
      // Hold the request like a slow backend, then answer what Lucca answers past its deadline.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, decision.afterMs);
        res.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (!res.destroyed && !res.writableEnded) sendJson(res, 408, errorBody(408, 'Request timeout'));
      return true;
    }
    case 'rateLimit':
      if (decision.latencyMs > 0) await sleep(decision.latencyMs);
      sendJson(res, 429, errorBody(429, 'Too many requests'), { 'retry-after': String(decision.retryAfterSeconds) });
      return true;
    case 'error':
      if (decision.latencyMs > 0) await sleep(decision.latencyMs);
      sendJson(res, decision.status, errorBody(decision.status, 'Injected fault'));
      return true;
  }
}
