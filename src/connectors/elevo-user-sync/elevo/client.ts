import type { TargetUser } from '../domain/sync-model';
import { IntegrationError, type IntegrationErrorInit, type IntegrationErrorKind } from '../../../integrations/http/integration-error';
import { JsonHttpClient, type RetryOptions } from '../../../integrations/http/json-http-client';
import type { RequestBudget } from '../../../integrations/http/request-budget';
import {
  elevoUserPageSchema,
  elevoUserSchema,
  type ElevoAdminEditInput,
  type ElevoCreateUserInput,
  type ElevoErrorCode,
  type ElevoUpdateUserInput,
  type ElevoUser,
  type ElevoUserPage,
} from './schemas';
import { toTargetUser } from './target-user';

export interface ElevoClientOptions {
  tenantId: string;
  /** `https://…/<account>`: the account's base URL (config `elevo.baseUrl`). */
  baseUrl: string;
  /** The resolved bearer token (never logged, never in a payload). */
  token: string;
  timeoutMs?: number;
  budget?: RequestBudget;
  retry?: Partial<RetryOptions>;
  /** Page size of list calls (the API allows up to 500). */
  perPage?: number;
}

/** Statuses that carry a contract error code; they are turned into IntegrationErrors by this client. */
const CODED_STATUSES = [404, 409, 422, 423];
const MAX_PER_PAGE = 500;

/**
 * Client of the Elevo provisioning API (api/elevo-provisioning.openapi.yaml). Errors are
 * IntegrationErrors: 401 authentication (non-retryable), 404/409/422/423 non-retryable with the
 * Elevo error code in `detail`, 429/5xx/timeouts retryable (Retry-After honoured).
 */
export class ElevoClient {
  private readonly http: JsonHttpClient;
  private readonly perPage: number;

  constructor(private readonly options: ElevoClientOptions) {
    this.http = new JsonHttpClient({
      system: 'elevo',
      tenantId: options.tenantId,
      baseUrl: options.baseUrl,
      headers: { authorization: `Bearer ${options.token}` },
      timeoutMs: options.timeoutMs,
      budget: options.budget,
      retry: options.retry,
    });
    this.perPage = Math.min(Math.max(1, options.perPage ?? MAX_PER_PAGE), MAX_PER_PAGE);
  }

  /** Requests actually sent, retries included. */
  get requestCount(): number {
    return this.http.requestCount;
  }

  /** Every user, one page at a time, in the API's stable order. */
  async *listUsers(filter: { externalId?: string; email?: string } = {}): AsyncGenerator<ElevoUser[]> {
    for (let page: number | null = 1; page !== null;) {
      const { data }: { data: ElevoUserPage } = await this.http.json({
        method: 'GET',
        path: 'users',
        query: { page, perPage: this.perPage, ...filter },
        schema: elevoUserPageSchema,
      });
      yield data.items;
      page = data.nextPage;
    }
  }

  /** The same pages, in the plan's TargetUser shape. */
  async *listUserPages(): AsyncGenerator<TargetUser[]> {
    for await (const page of this.listUsers()) yield page.map(toTargetUser);
  }

  async listAllUsers(): Promise<ElevoUser[]> {
    const all: ElevoUser[] = [];
    for await (const page of this.listUsers()) all.push(...page);
    return all;
  }

  async findByExternalId(externalId: string): Promise<ElevoUser | null> {
    const { data } = await this.http.json({
      method: 'GET',
      path: 'users',
      query: { externalId, page: 1, perPage: 1 },
      schema: elevoUserPageSchema,
    });
    return data.items[0] ?? null;
  }

  async findByEmail(email: string): Promise<ElevoUser | null> {
    const { data } = await this.http.json({
      method: 'GET',
      path: 'users',
      query: { email, page: 1, perPage: 1 },
      schema: elevoUserPageSchema,
    });
    return data.items[0] ?? null;
  }

  async getUser(id: string): Promise<ElevoUser | null> {
    const { status, data } = await this.http.json({
      method: 'GET',
      path: `users/${encodeURIComponent(id)}`,
      schema: elevoUserSchema,
      acceptStatuses: [404],
    });
    return status === 404 ? null : data;
  }

  /** Same idempotency key -> the same user, never a duplicate (safe to retry after a crash). */
  async createUser(input: ElevoCreateUserInput, idempotencyKey: string): Promise<ElevoUser> {
    return this.write('POST', 'users', input, { 'idempotency-key': idempotencyKey }, (status) => this.explainCreateOrUpdate(status, input));
  }

  /** Updates synced attributes; may also set `externalId` and `lockedAttributes` (adoption, relock). */
  async updateUser(id: string, patch: ElevoUpdateUserInput): Promise<ElevoUser> {
    return this.write('PATCH', `users/${encodeURIComponent(id)}`, patch, {}, (status) => this.explainCreateOrUpdate(status, patch, id));
  }

  async suspendUser(id: string): Promise<ElevoUser> {
    return this.write('POST', `users/${encodeURIComponent(id)}/suspend`, undefined);
  }

  async reactivateUser(id: string): Promise<ElevoUser> {
    return this.write('POST', `users/${encodeURIComponent(id)}/reactivate`, undefined);
  }

  /** Stops managing the user: clears its locks, keeps it as it is. */
  async releaseUser(id: string): Promise<ElevoUser> {
    return this.write('POST', `users/${encodeURIComponent(id)}/release`, undefined);
  }

  /** What an Elevo admin does in the UI (used to check that locks hold). */
  async adminEditUser(id: string, patch: ElevoAdminEditInput): Promise<ElevoUser> {
    return this.write('PATCH', `admin/users/${encodeURIComponent(id)}`, patch, {}, async () => {
      const user = await this.getUser(id);
      const touched = Object.keys(patch).flatMap((k) =>
        k === 'customFields' ? Object.keys(patch.customFields ?? {}).map((f) => `customFields.${f}`) : [k],
      );
      const locked = touched.filter((a) => user?.lockedAttributes.includes(a));
      return `attribute_locked${locked.length ? `: ${locked.join(', ')}` : ''}`;
    });
  }

  private async write(
    method: 'POST' | 'PATCH',
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
    explain?: (status: number) => Promise<string>,
  ): Promise<ElevoUser> {
    const operation = `${method} ${path.replace(/users\/[^/]+/, 'users/{id}')}`;
    const { status, data } = await this.http.json({ method, path, body, headers, schema: elevoUserSchema, acceptStatuses: CODED_STATUSES });
    if (!CODED_STATUSES.includes(status)) return data;
    // JsonHttpClient does not hand error bodies over, so the code is re-derived from the contract
    // (one code per status, except 409/422 which a cheap read disambiguates). Codes only, no data.
    const detail = status === 404 ? 'not_found' : explain ? await explain(status) : codeFor(status);
    throw new ElevoRequestError({ system: 'elevo', tenantId: this.options.tenantId, kind: kindFor(status), operation, status, detail });
  }

  /** For a 409/422 on create/update: which contract rule was broken. */
  private async explainCreateOrUpdate(status: number, input: ElevoUpdateUserInput, selfId?: string): Promise<string> {
    if (input.externalId) {
      const holder = await this.findByExternalId(input.externalId);
      if (holder && holder.id !== selfId) return 'external_id_taken' satisfies ElevoErrorCode;
    }
    if (input.email !== undefined) {
      const holder = await this.findByEmail(input.email);
      if (holder && holder.id !== selfId) return 'email_taken' satisfies ElevoErrorCode;
    }
    if (input.managerExternalId) {
      const manager = await this.findByExternalId(input.managerExternalId);
      if (!manager) return 'unknown_manager' satisfies ElevoErrorCode;
    }
    // No rule explains it: say only what the status says (a 409 is a conflict, not a bad value).
    return status === 409 ? 'conflict' : ('invalid_request' satisfies ElevoErrorCode);
  }
}

function kindFor(status: number): IntegrationErrorKind {
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  return 'bad-request';
}

function codeFor(status: number): ElevoErrorCode {
  if (status === 409) return 'email_taken';
  if (status === 422) return 'invalid_request';
  return 'attribute_locked';
}

/** A refusal by the Elevo API (404/409/422/423): non-retryable, with the contract's error code. */
export class ElevoRequestError extends IntegrationError {
  /** e.g. `email_taken`, `unknown_manager`, `attribute_locked`, `not_found`. */
  readonly code: string;

  constructor(init: IntegrationErrorInit & { detail: string }) {
    super(init);
    this.code = init.detail.split(':')[0]!;
  }
}

/** The Elevo error code of an error, if it is an Elevo refusal. */
export function elevoErrorCode(err: unknown): string | undefined {
  return err instanceof ElevoRequestError ? err.code : undefined;
}
