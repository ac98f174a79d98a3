import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { JsonHttpClient, type RetryOptions } from '../http/json-http-client';
import type { RequestBudget } from '../http/request-budget';
import type { ExtendedValueWrite } from './extended-data';
import {
  extensionDefinitionListResponseSchema,
  extensionDefinitionResponseSchema,
  luccaSingleUserSchema,
  luccaUserListSchema,
  type ExtensionDefinition,
} from './lucca-schemas';
import { canonicalizeUser, type CanonicalUser } from './lucca-user-fields';

/** Lucca refuses page sizes above 1000 (HTTP 400). */
export const LUCCA_MAX_PAGE_SIZE = 1000;

export interface LuccaClientOptions {
  tenantId: string;
  baseUrl: string;
  apiKey: string;
  budget?: RequestBudget;
  retry?: Partial<RetryOptions>;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

export interface ListUsersQuery {
  /** Field selection; without it Lucca returns only id, name, url. */
  fields: string[];
  formerEmployees?: boolean;
  /** Extra filters passed as-is (`id=1,2`, `modifiedAt=since,...`). */
  filters?: Record<string, string>;
  pageSize?: number;
  signal?: AbortSignal;
  /**
   * Pages requested at once once the first page gave the count (default 1: one after the other).
   * With 2, the next page's wait for a budget permit and its transfer overlap the current one.
   */
  pagesInFlight?: number;
}

export interface UsersPage {
  offset: number;
  items: CanonicalUser[];
  /** Total matching users; present because every page asks for `collection.count`. */
  count: number;
  /** Lucca's clock when it answered (`header.generated`, naive like every v3 date-time), when sent. */
  generated?: string;
}

/** Client of the Lucca legacy v3 API subset the connectors need. */
export class LuccaClient {
  private readonly http: JsonHttpClient;

  constructor(options: LuccaClientOptions) {
    this.http = new JsonHttpClient({
      system: 'lucca',
      tenantId: options.tenantId,
      baseUrl: options.baseUrl,
      headers: { authorization: `lucca application=${options.apiKey}` },
      // Lucca aborts requests over 5 s with 408; waiting a little longer lets us see that answer.
      timeoutMs: options.timeoutMs ?? 8_000,
      budget: options.budget,
      retry: options.retry,
      dispatcher: options.dispatcher,
    });
  }

  get tenantId(): string {
    return this.http.tenantId;
  }

  /** Requests sent so far by this client (retries included). */
  get requestCount(): number {
    return this.http.requestCount;
  }

  async listUsersPage(query: ListUsersQuery, offset: number): Promise<UsersPage> {
    const limit = Math.min(query.pageSize ?? LUCCA_MAX_PAGE_SIZE, LUCCA_MAX_PAGE_SIZE);
    if (limit < 1) throw new RangeError('pageSize must be at least 1');
    const { data } = await this.http.json({
      method: 'GET',
      path: '/api/v3/users',
      query: {
        fields: withCount(query.fields),
        paging: `${offset},${limit}`,
        orderBy: 'id,asc', // stable order so offset paging neither skips nor repeats users
        ...(query.formerEmployees ? { formerEmployees: 'true' } : {}),
        ...query.filters,
      },
      schema: luccaUserListSchema,
      signal: query.signal,
    });
    const items = (data.data.items ?? []).map(canonicalizeUser);
    const generated = data.header?.generated;
    return { offset, items, count: data.data.count ?? items.length, ...(generated ? { generated } : {}) };
  }

  /** Every page, one request per `pageSize` users (one extra request only when the count grows meanwhile). */
  async *listUsers(query: ListUsersQuery): AsyncGenerator<UsersPage> {
    const limit = Math.min(query.pageSize ?? LUCCA_MAX_PAGE_SIZE, LUCCA_MAX_PAGE_SIZE);
    if ((query.pagesInFlight ?? 1) > 1) {
      yield* this.pagesAhead(query, limit, query.pagesInFlight!);
      return;
    }
    let offset = 0;
    for (;;) {
      const page = await this.listUsersPage(query, offset);
      yield page;
      offset += page.items.length;
      if (page.items.length < limit || offset >= page.count) return;
    }
  }

  /**
   * Like listUsers, with up to `depth` requests in flight for pages the last count says exist; full
   * pages only continue (Lucca pages by offset), so page k is always at k × limit. A caller that stops
   * early, or a short page, leaves at most `depth - 1` requests unread.
   */
  private async *pagesAhead(query: ListUsersQuery, limit: number, depth: number): AsyncGenerator<UsersPage> {
    const inFlight = [this.listUsersPage(query, 0)];
    let requested = 0;
    try {
      while (inFlight.length > 0) {
        const page = await inFlight.shift()!;
        const end = page.offset + page.items.length;
        if (page.items.length < limit || end >= page.count) {
          yield page;
          return;
        }
        while (inFlight.length < depth && requested + limit < page.count) {
          requested += limit;
          inFlight.push(this.listUsersPage(query, requested));
        }
        yield page;
      }
    } finally {
      for (const unread of inFlight) unread.catch(() => undefined);
    }
  }

  async countUsers(options: { formerEmployees?: boolean; signal?: AbortSignal } = {}): Promise<number> {
    const { data } = await this.http.json({
      method: 'GET',
      path: '/api/v3/users',
      query: { fields: 'collection.count', ...(options.formerEmployees ? { formerEmployees: 'true' } : {}) },
      schema: luccaUserListSchema,
      signal: options.signal,
    });
    return data.data.count ?? 0;
  }

  /** One user, or null when it does not exist (or the key may not see it). */
  async getUser(userId: number, fields: string[], signal?: AbortSignal): Promise<CanonicalUser | null> {
    const { status, data } = await this.http.json({
      method: 'GET',
      path: `/api/v3/users/${encodeURIComponent(String(userId))}`,
      query: { fields: fields.join(',') },
      schema: luccaSingleUserSchema,
      signal,
      acceptStatuses: [404],
    });
    return status === 404 ? null : canonicalizeUser(data.data);
  }

  async getExtensionDefinition(code: string, signal?: AbortSignal): Promise<ExtensionDefinition | null> {
    const { status, data } = await this.http.json({
      method: 'GET',
      path: `/api/v3/extensionuserdefinitions/${encodeURIComponent(code)}`,
      schema: extensionDefinitionResponseSchema,
      signal,
      acceptStatuses: [404],
    });
    return status === 404 ? null : data.data;
  }

  /**
   * Every definition, 1,000 per request (one request for any real tenant). `paging` is always sent:
   * without it Lucca's framework pages by 10, the docs say 1000 — undocumented for this collection.
   */
  async listExtensionDefinitions(signal?: AbortSignal): Promise<ExtensionDefinition[]> {
    const all: ExtensionDefinition[] = [];
    for (;;) {
      const query = { paging: `${all.length},${LUCCA_MAX_PAGE_SIZE}` };
      const { data } = await this.http.json({
        method: 'GET',
        path: '/api/v3/extensionuserdefinitions',
        query,
        schema: extensionDefinitionListResponseSchema,
        signal,
      });
      all.push(...data.data.items);
      if (data.data.items.length < LUCCA_MAX_PAGE_SIZE) return all;
    }
  }

  /**
   * Writes extended data: `e_` keys at the root of the body (writing inside `extendedData` is
   * ignored by Lucca), a value id to update, none to create, an array for multiple occurrences.
   * Returns the user's extended data after the write.
   */
  async updateExtendedData(
    userId: number,
    values: Record<string, ExtendedValueWrite | ExtendedValueWrite[]>,
    signal?: AbortSignal,
  ): Promise<CanonicalUser> {
    for (const code of Object.keys(values)) if (!code.startsWith('e_')) throw new RangeError(`not an extended-data code: ${code}`);
    const { data } = await this.http.json({
      method: 'PUT',
      path: `/api/v3/users/${encodeURIComponent(String(userId))}`,
      query: { fields: 'id,extendedData' },
      body: values,
      schema: luccaSingleUserSchema,
      signal,
    });
    return canonicalizeUser(data.data);
  }

  /** An HR-file attachment as a stream (download path inferred from `picture.url`: /api/v3/files/{guid}). */
  async downloadFile(fileId: string, signal?: AbortSignal): Promise<{ body: Readable; contentType?: string; contentLength?: number }> {
    if (!/^[0-9a-fA-F-]{8,64}$/.test(fileId)) throw new RangeError('file ids are GUIDs');
    return this.http.stream(`/api/v3/files/${fileId}`, signal);
  }
}

function withCount(fields: string[]): string {
  const set = fields.filter((f) => f.toLowerCase() !== 'collection.count');
  return [...set, 'collection.count'].join(',');
}
