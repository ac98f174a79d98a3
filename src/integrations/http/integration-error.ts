/**
 * One error type for every external system, classified by what the caller should do about it.
 * Messages name the system, tenant, method and path — never a key, token or response body,
 * because bodies may carry employee data.
 */
/** Lower-case id of the external system (`lucca`, `elevo`, `aequivalent`): failure types and messages are built from it. */
export type IntegrationSystem = string;

export type IntegrationErrorKind =
  | 'authentication' // 401: bad or revoked key — retrying cannot help
  | 'permission' // 403: the key's role lacks a right
  | 'bad-request' // 400/422: our request is wrong
  | 'not-found' // 404
  | 'conflict' // 409
  | 'rate-limited' // 429
  | 'timeout' // 408 or our own deadline
  | 'server' // 5xx
  | 'network' // connection refused/reset, DNS
  | 'invalid-response'; // body does not match the schema we rely on

const RETRYABLE: ReadonlySet<IntegrationErrorKind> = new Set(['rate-limited', 'timeout', 'server', 'network']);

export interface IntegrationErrorInit {
  system: IntegrationSystem;
  kind: IntegrationErrorKind;
  tenantId: string;
  operation: string; // e.g. "GET /api/v3/users"
  status?: number;
  retryAfterMs?: number;
  detail?: string; // short, data-free explanation
}

export class IntegrationError extends Error {
  override readonly name = 'IntegrationError';
  readonly system: IntegrationSystem;
  readonly kind: IntegrationErrorKind;
  readonly tenantId: string;
  readonly operation: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly retryable: boolean;

  constructor(init: IntegrationErrorInit) {
    super(describe(init));
    this.system = init.system;
    this.kind = init.kind;
    this.tenantId = init.tenantId;
    this.operation = init.operation;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.retryable = RETRYABLE.has(init.kind);
  }

  /** Stable failure type used by Temporal retry policies, e.g. `LuccaAuthenticationError`. */
  get failureType(): string {
    const system = displayName(this.system);
    const kind = this.kind
      .split('-')
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join('');
    return `${system}${kind}Error`;
  }
}

const displayName = (system: IntegrationSystem) => system[0]!.toUpperCase() + system.slice(1);

function describe(init: IntegrationErrorInit): string {
  const who = `${displayName(init.system)} (tenant "${init.tenantId}")`;
  const status = init.status ? ` HTTP ${init.status}` : '';
  const what: Record<IntegrationErrorKind, string> = {
    authentication: `${who} rejected the credentials: the API key or token is invalid or revoked`,
    permission: `${who} refused the operation: the key's role lacks the required permission`,
    'bad-request': `${who} rejected the request as invalid`,
    'not-found': `${who} has no such resource`,
    conflict: `${who} reported a conflict`,
    'rate-limited': `${who} rate limit reached`,
    timeout: `${who} did not answer in time`,
    server: `${who} server error`,
    network: `${who} could not be reached`,
    'invalid-response': `${who} returned a response we cannot read`,
  };
  return `${what[init.kind]} (${init.operation}${status})${init.detail ? `: ${init.detail}` : ''}`;
}

export function classifyStatus(status: number): IntegrationErrorKind | undefined {
  if (status < 400) return undefined;
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404) return 'not-found';
  if (status === 408) return 'timeout';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server';
  return 'bad-request';
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
