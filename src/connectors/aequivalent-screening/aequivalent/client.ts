import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import type { Dispatcher } from 'undici';

import { IntegrationError } from '../../../integrations/http/integration-error';
import { JsonHttpClient, type RetryOptions } from '../../../integrations/http/json-http-client';
import type { RequestBudget } from '../../../integrations/http/request-budget';
import {
  dossierDocumentSchema,
  dossierListSchema,
  type DossierPage,
  dossierSchema,
  type DocumentKind,
  type Dossier,
  type DossierDocument,
  type DossierRequest,
} from './schemas';

export interface AequivalentClientOptions {
  tenantId: string;
  /** The account's API base, e.g. `https://api.aequivalent.example/v1` or the sandbox's `baseUrlFor(tenant)`. */
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
  /** Upload deadline between two chunks/for the answer; whole uploads may take longer. */
  uploadTimeoutMs?: number;
  budget?: RequestBudget;
  retry?: Partial<RetryOptions>;
  dispatcher?: Dispatcher;
}

export interface UploadDocumentInput {
  kind: DocumentKind;
  fileName: string;
  contentType: string;
  body: Readable;
  /** Sent as Content-Length when known (lets Aequivalent refuse a too large file before it arrives). */
  size?: number;
  /** Sent as X-Content-SHA256 when known: Aequivalent then refuses corrupted bytes (422). */
  sha256?: string;
}

/** 422 on POST /dossiers: the idempotency key was already used with another body. A bug on our side: never retry. */
export class AequivalentIdempotencyKeyReusedError extends IntegrationError {
  override get failureType(): string {
    return 'AequivalentIdempotencyKeyReusedError';
  }
}

/**
 * What Aequivalent received differs from what we streamed (bytes or checksum), or the upload key was
 * reused for another file. Not retried in-process; the caller decides (a fresh stream may fix the first case).
 */
export class AequivalentChecksumMismatchError extends IntegrationError {
  override get failureType(): string {
    return 'AequivalentChecksumMismatchError';
  }
}

/**
 * Aequivalent orders API (api/aequivalent-orders.openapi.yaml). JSON calls get the shared client's
 * bounded retries; uploads are streamed once (a stream cannot be replayed) and are safe to retry
 * from a fresh stream thanks to their idempotency key.
 */
export class AequivalentClient {
  private readonly http: JsonHttpClient;
  private readonly uploadHttp: JsonHttpClient;

  constructor(private readonly options: AequivalentClientOptions) {
    const common = {
      system: 'aequivalent' as const,
      tenantId: options.tenantId,
      baseUrl: options.baseUrl,
      headers: { authorization: `Bearer ${options.apiKey}` },
      budget: options.budget,
      retry: options.retry,
      dispatcher: options.dispatcher,
    };
    this.http = new JsonHttpClient({ ...common, timeoutMs: options.timeoutMs });
    this.uploadHttp = new JsonHttpClient({ ...common, timeoutMs: options.uploadTimeoutMs ?? Math.max(options.timeoutMs ?? 0, 120_000) });
  }

  /** Requests sent so far (retries included). */
  get requestCount(): number {
    return this.http.requestCount + this.uploadHttp.requestCount;
  }

  /**
   * Creates the dossier, or returns the one already created with this key (`created: false`).
   * The key must be derived from the order (not random) so that a retried activity cannot order twice.
   */
  async createDossier(input: DossierRequest, idempotencyKey: string): Promise<{ dossier: Dossier; created: boolean }> {
    const { status, data } = await this.http.json({
      method: 'POST',
      path: 'dossiers',
      body: input,
      headers: { 'idempotency-key': idempotencyKey },
      schema: dossierSchema,
      acceptStatuses: [422],
    });
    if (status === 422) {
      throw new AequivalentIdempotencyKeyReusedError({
        system: 'aequivalent',
        kind: 'bad-request',
        tenantId: this.options.tenantId,
        operation: 'POST dossiers',
        status,
        detail: 'idempotency_key_reused: this Idempotency-Key was already used with a different dossier request',
      });
    }
    return { dossier: data, created: status === 201 };
  }

  /**
   * Streams one document to the dossier while hashing it, and checks the sha256 Aequivalent
   * computed against ours. Memory use is one chunk, whatever the file size.
   */
  async uploadDocument(dossierId: string, input: UploadDocumentInput, idempotencyKey?: string): Promise<DossierDocument> {
    const operation = 'POST dossiers/{id}/documents';
    const hash = createHash('sha256');
    let sent = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        sent += chunk.length;
        done(null, chunk);
      },
    });
    // Errors of the source must reach the request body, or undici would wait forever.
    input.body.on('error', (err) => hashing.destroy(err));
    input.body.pipe(hashing);

    const headers = uploadHeaders(input, idempotencyKey);
    let document: DossierDocument;
    try {
      document = await this.uploadHttp.sendRaw(
        { method: 'POST', path: `dossiers/${encodeURIComponent(dossierId)}/documents`, body: hashing, headers },
        dossierDocumentSchema,
      );
    } catch (err) {
      input.body.unpipe(hashing);
      hashing.destroy();
      if (err instanceof IntegrationError && err.status === 422) {
        throw new AequivalentChecksumMismatchError({
          ...errorInit(err, operation),
          detail: 'Aequivalent refused the document: checksum mismatch or idempotency key reused for another file',
        });
      }
      if (err instanceof IntegrationError) throw err;
      throw new IntegrationError({
        system: 'aequivalent',
        kind: 'invalid-response',
        tenantId: this.options.tenantId,
        operation,
        detail: 'unreadable upload answer',
      });
    }
    const ours = hash.digest('hex');
    // An idempotent replay returns the first upload: same bytes means same hash, whatever the stream.
    if (document.sha256 !== ours || document.size !== sent) {
      throw new AequivalentChecksumMismatchError({
        system: 'aequivalent',
        kind: 'invalid-response',
        tenantId: this.options.tenantId,
        operation,
        detail: `document ${document.id}: Aequivalent stored ${document.size} bytes with another sha256 than the ${sent} bytes sent`,
      });
    }
    return document;
  }

  async getDossier(dossierId: string): Promise<Dossier> {
    const { data } = await this.http.json({ method: 'GET', path: `dossiers/${encodeURIComponent(dossierId)}`, schema: dossierSchema });
    return data;
  }

  /** Dossiers whose externalReference is exactly `externalReference` (our order id), oldest first, every page. */
  async findByExternalReference(externalReference: string): Promise<Dossier[]> {
    const found: Dossier[] = [];
    for (let page: number | null = 1; page !== null;) {
      const { data }: { data: DossierPage } = await this.http.json({
        method: 'GET',
        path: 'dossiers',
        query: { externalReference, page: String(page), perPage: '500' },
        schema: dossierListSchema,
      });
      found.push(...data.items);
      page = data.nextPage !== null && data.nextPage > page ? data.nextPage : null;
    }
    return found;
  }

  /** Cancels a dossier; cancelling an already cancelled one succeeds. A finished dossier → conflict (409). */
  async cancelDossier(dossierId: string): Promise<Dossier> {
    const { data } = await this.http.json({
      method: 'POST',
      path: `dossiers/${encodeURIComponent(dossierId)}/cancel`,
      schema: dossierSchema,
    });
    return data;
  }
}

function errorInit(err: IntegrationError, operation: string) {
  return { system: err.system, kind: err.kind, tenantId: err.tenantId, operation, status: err.status, retryAfterMs: err.retryAfterMs };
}

/** The upload's metadata travels in headers: the body is the file's bytes, streamed. */
function uploadHeaders(input: UploadDocumentInput, idempotencyKey: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': input.contentType,
    'x-file-name': encodeURIComponent(input.fileName),
    'x-document-kind': input.kind,
  };
  if (input.size !== undefined) headers['content-length'] = String(input.size);
  if (input.sha256) headers['x-content-sha256'] = input.sha256.toLowerCase();
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  return headers;
}
