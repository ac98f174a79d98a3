import { setTimeout as sleep } from 'node:timers/promises';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { classifyStatus, IntegrationError, parseRetryAfter, type IntegrationErrorKind, type IntegrationSystem } from './integration-error';
import { unlimitedBudget, type RequestBudget } from './request-budget';
import {
  cappedStream,
  declaredTooLarge,
  DEFAULT_MAX_DOWNLOAD_BYTES,
  DEFAULT_MAX_RESPONSE_BYTES,
  readCappedText,
  ResponseTooLargeError,
} from './capped-body';
import { countHttpResponse } from '../../observability/connector-metrics';

export interface RetryOptions {
  /** Attempts inside one call, for short hiccups. Longer outages are left to Temporal's activity retries. */
  maxAttempts: number;
  initialDelayMs: number;
  /** A Retry-After longer than this is not waited for in-process: the error is thrown with `retryAfterMs`. */
  maxDelayMs: number;
}

export interface JsonHttpClientOptions {
  system: IntegrationSystem;
  tenantId: string;
  baseUrl: string;
  headers: Record<string, string>;
  timeoutMs?: number;
  budget?: RequestBudget;
  retry?: Partial<RetryOptions>;
  dispatcher?: Dispatcher;
  /** Largest JSON response read (default 16 MiB); larger ones fail as invalid responses, unread. */
  maxResponseBytes?: number;
  /** Largest streamed download (default 100 MiB). */
  maxDownloadBytes?: number;
}

export interface RequestOptions<S extends z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  schema: S;
  signal?: AbortSignal;
  /** Statuses that are an expected answer rather than an error (e.g. 404 on a lookup). */
  acceptStatuses?: number[];
}

export interface RawBodyRequest {
  method: 'POST' | 'PUT';
  path: string;
  body: Readable | Buffer;
  headers: Record<string, string>;
  signal?: AbortSignal;
}

const sharedAgent = new Agent({ keepAliveTimeout: 10_000, connections: 16 });

/**
 * Requests made inside `countRequests(fn)`, whatever client made them: clients are shared by
 * concurrent activities, so a per-client total cannot tell what one activity cost.
 */
const requestScope = new AsyncLocalStorage<{ count: number }>();

export async function countRequests<T>(fn: () => Promise<T>): Promise<{ result: T; requests: number }> {
  const scope = { count: 0 };
  const result = await requestScope.run(scope, fn);
  return { result, requests: scope.count };
}

/** JSON over undici with typed errors, a request budget, bounded in-process retries and zod at the edge. */
export class JsonHttpClient {
  private readonly base: URL;
  private readonly retry: RetryOptions;
  private readonly timeoutMs: number;
  private readonly budget: RequestBudget;
  private readonly dispatcher: Dispatcher;
  /** Requests actually sent (including retries); benchmarks and tests read it. */
  requestCount = 0;

  constructor(private readonly options: JsonHttpClientOptions) {
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.retry = { maxAttempts: 4, initialDelayMs: 250, maxDelayMs: 15_000, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.budget = options.budget ?? unlimitedBudget;
    this.dispatcher = options.dispatcher ?? sharedAgent;
  }

  get tenantId(): string {
    return this.options.tenantId;
  }

  async json<S extends z.ZodType>(opts: RequestOptions<S>): Promise<{ status: number; data: z.infer<S> }> {
    const operation = `${opts.method} ${opts.path}`;
    return this.withRetries(operation, opts.signal, async () => {
      const res = await this.send(operation, {
        method: opts.method,
        url: this.url(opts.path, opts.query),
        headers: {
          accept: 'application/json',
          ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...opts.headers,
        },
        body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
        signal: opts.signal,
      });
      if (res.statusCode >= 400 && !opts.acceptStatuses?.includes(res.statusCode)) {
        await res.body.dump();
        throw this.statusError(operation, res.statusCode, res.headers['retry-after']);
      }
      let raw: unknown = null;
      const text = await this.readText(operation, res);
      if (text.length > 0) {
        try {
          raw = JSON.parse(text);
        } catch {
          throw this.error(operation, 'invalid-response', res.statusCode, undefined, 'body is not JSON');
        }
      }
      if (opts.acceptStatuses?.includes(res.statusCode) && res.statusCode >= 400)
        return { status: res.statusCode, data: undefined as z.infer<S> };
      const parsed = opts.schema.safeParse(raw);
      if (!parsed.success) {
        // Paths only: values may be personal data.
        const where = parsed.error.issues
          .slice(0, 3)
          .map((i) => i.path.join('.') || '(root)')
          .join(', ');
        throw this.error(operation, 'invalid-response', res.statusCode, undefined, `unexpected shape at ${where}`);
      }
      return { status: res.statusCode, data: parsed.data };
    });
  }

  /** Streams a response body (file download). The caller must consume or destroy the stream. */
  async stream(path: string, signal?: AbortSignal): Promise<{ body: Readable; contentType?: string; contentLength?: number }> {
    const operation = `GET ${path.split('?')[0]}`;
    return this.withRetries(operation, signal, async () => {
      const res = await this.send(operation, { method: 'GET', url: this.url(path), headers: { accept: '*/*' }, signal });
      if (res.statusCode >= 400) {
        await res.body.dump();
        throw this.statusError(operation, res.statusCode, res.headers['retry-after']);
      }
      const length = Number(res.headers['content-length']);
      const max = this.options.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
      if (declaredTooLarge(res.headers['content-length'], max)) {
        res.body.destroy();
        throw this.error(operation, 'invalid-response', res.statusCode, undefined, new ResponseTooLargeError(max).message);
      }
      return {
        body: cappedStream(res.body, max),
        contentType: typeof res.headers['content-type'] === 'string' ? res.headers['content-type'] : undefined,
        contentLength: Number.isFinite(length) ? length : undefined,
      };
    });
  }

  /** Sends a non-JSON body (file upload) once: a stream cannot be replayed, so no in-process retry. */
  async sendRaw<S extends z.ZodType>(req: RawBodyRequest, schema: S): Promise<z.infer<S>> {
    const operation = `${req.method} ${req.path}`;
    const res = await this.send(operation, {
      method: req.method,
      url: this.url(req.path),
      headers: { accept: 'application/json', ...req.headers },
      body: req.body,
      signal: req.signal,
    });
    if (res.statusCode >= 400) {
      await res.body.dump();
      throw this.statusError(operation, res.statusCode, res.headers['retry-after']);
    }
    const text = await this.readText(operation, res);
    const parsed = schema.safeParse(text ? JSON.parse(text) : null);
    if (!parsed.success) throw this.error(operation, 'invalid-response', res.statusCode, undefined, 'unexpected shape');
    return parsed.data;
  }

  /** The body as text, refused unread (Content-Length) or as soon as it passes the cap. */
  private async readText(operation: string, res: Dispatcher.ResponseData): Promise<string> {
    const max = this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    try {
      if (declaredTooLarge(res.headers['content-length'], max)) {
        res.body.destroy();
        throw new ResponseTooLargeError(max);
      }
      return await readCappedText(res.body, max);
    } catch (err) {
      if (err instanceof ResponseTooLargeError) throw this.error(operation, 'invalid-response', res.statusCode, undefined, err.message);
      throw this.transportError(operation, err);
    }
  }

  private url(path: string, query?: RequestOptions<z.ZodType>['query']): URL {
    const url = new URL(path.replace(/^\//, ''), this.base);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  private async send(
    operation: string,
    req: { method: string; url: URL; headers: Record<string, string>; body?: string | Buffer | Readable; signal?: AbortSignal },
  ) {
    await this.budget.acquire(req.signal);
    this.requestCount += 1;
    const scope = requestScope.getStore();
    if (scope) scope.count += 1;
    try {
      const res = await request(req.url, {
        method: req.method as Dispatcher.HttpMethod,
        headers: { ...this.options.headers, ...req.headers },
        body: req.body,
        signal: req.signal,
        dispatcher: this.dispatcher,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      countHttpResponse(this.options.system, res.statusCode);
      return res;
    } catch (err) {
      throw this.transportError(operation, err);
    }
  }

  private async withRetries<T>(operation: string, signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (err) {
        if (!(err instanceof IntegrationError) || !err.retryable || n >= this.retry.maxAttempts) throw err;
        const backoff = Math.min(this.retry.initialDelayMs * 2 ** (n - 1), this.retry.maxDelayMs);
        const delay = err.retryAfterMs ?? backoff * (0.5 + Math.random() / 2);
        if (delay > this.retry.maxDelayMs) throw err; // let Temporal wait, with nextRetryDelay
        if (err.kind === 'rate-limited') this.budget.pauseFor(delay);
        await sleep(delay, undefined, { signal });
      }
    }
  }

  private statusError(operation: string, status: number, retryAfter: string | string[] | undefined): IntegrationError {
    const kind = classifyStatus(status) ?? 'server';
    const retryAfterMs = kind === 'rate-limited' || kind === 'server' || kind === 'timeout' ? parseRetryAfter(retryAfter) : undefined;
    if (kind === 'rate-limited' && retryAfterMs !== undefined) this.budget.pauseFor(retryAfterMs);
    return this.error(operation, kind, status, retryAfterMs);
  }

  private transportError(operation: string, err: unknown): Error {
    if (err instanceof IntegrationError) return err;
    const e = err as { name?: string; code?: string };
    if (e?.name === 'AbortError') return err as Error; // cancellation, not a remote failure
    const code = e?.code ?? '';
    const kind: IntegrationErrorKind = /TIMEOUT/i.test(code) ? 'timeout' : 'network';
    return this.error(operation, kind, undefined, undefined, code || undefined);
  }

  private error(operation: string, kind: IntegrationErrorKind, status?: number, retryAfterMs?: number, detail?: string): IntegrationError {
    return new IntegrationError({
      system: this.options.system,
      tenantId: this.options.tenantId,
      kind,
      operation,
      status,
      retryAfterMs,
      detail,
    });
  }
}
