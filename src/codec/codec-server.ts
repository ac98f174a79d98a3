import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';

/**
 * Codec server for the Temporal Web UI and CLI (`POST /encode`, `POST /decode`, payloads in
 * proto-JSON form with base64 bytes). Only operators holding the token may decode:
 * `Authorization: Bearer <token>`, or — for the UI's codec-endpoint setting, which cannot add
 * headers — the token as the first path segment (`/<token>/decode`). CORS answers only the
 * configured UI origin.
 */
export interface CodecServerOptions {
  codec: PayloadCodec;
  token: string;
  allowedOrigin: string;
  port?: number;
  host?: string;
  /** Ids and outcomes only (never payload content). */
  log?: (line: { msg: string; path: string; status: number }) => void;
}

export interface RunningCodecServer {
  url: string;
  port: number;
  /** The endpoint to give the Temporal UI (`--ui-codec-endpoint`). */
  uiEndpoint: string;
  stop(): Promise<void>;
}

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const MAX_BODY = 4 * 1024 * 1024; // Temporal's gRPC message limit

export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const tokenDigest = digest(options.token);
  const log = options.log ?? (() => undefined);

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => send(res, 500, { error: 'codec_failed' }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    // A local UI is reached as 127.0.0.1 or localhost (the dev server's banner prints the latter): both are the same UI.
    const allowedOrigin = origin !== undefined && (origin === options.allowedOrigin || origin === loopbackTwin(options.allowedOrigin));
    if (allowedOrigin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-headers', 'content-type, x-namespace, authorization');
      res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('vary', 'origin');
    }
    const url = new URL(req.url ?? '/', 'http://codec');
    const segments = url.pathname.split('/').filter(Boolean);
    if (req.method === 'OPTIONS') return void send(res, allowedOrigin ? 204 : 403, null);
    let action = segments[segments.length - 1];
    let authorised = bearerMatches(req.headers.authorization, tokenDigest);
    if (segments.length === 2 && matches(segments[0]!, tokenDigest)) authorised = true;
    else if (segments.length !== 1) action = undefined;
    const path = `/${action ?? '?'}`; // never log the token segment
    if (req.method !== 'POST' || (action !== 'encode' && action !== 'decode')) return finish(res, path, 404, { error: 'not_found' });
    if (origin !== undefined && !allowedOrigin) return finish(res, path, 403, { error: 'origin_not_allowed' });
    if (!authorised) return finish(res, path, 401, { error: 'unauthorized' });
    const body = await readBody(req);
    if (body === undefined) return finish(res, path, 413, { error: 'too_large' });
    let parsed: { payloads?: JsonPayload[] };
    try {
      parsed = JSON.parse(body.toString('utf8')) as { payloads?: JsonPayload[] };
    } catch {
      return finish(res, path, 400, { error: 'invalid_json' });
    }
    if (!Array.isArray(parsed.payloads)) return finish(res, path, 400, { error: 'payloads_required' });
    const payloads = parsed.payloads.map(fromJson);
    try {
      const out = action === 'encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
      finish(res, path, 200, { payloads: out.map(toJson) });
    } catch {
      finish(res, path, 422, { error: 'cannot_decode' });
    }
  }

  function finish(res: ServerResponse, path: string, status: number, body: unknown): void {
    log({ msg: 'codec request', path, status });
    send(res, status, body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`codec server: port ${options.port ?? 8888} is already in use (another \`npm start\` or codec server running?)`) : err),
    );
    server.listen(options.port ?? 8888, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port ?? 8888;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url,
    port,
    uiEndpoint: `${url}/${options.token}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `http://127.0.0.1:8233` ⇄ `http://localhost:8233`; undefined for any other origin. */
function loopbackTwin(origin: string): string | undefined {
  const m = /^(https?:\/\/)(127\.0\.0\.1|localhost)(:\d+)?$/.exec(origin);
  if (!m) return undefined;
  return `${m[1]}${m[2] === 'localhost' ? '127.0.0.1' : 'localhost'}${m[3] ?? ''}`;
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

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

function matches(candidate: string, expected: Buffer): boolean {
  return timingSafeEqual(digest(candidate), expected);
}

function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return m ? matches(m[1]!.trim(), expected) : false;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === null) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
