import { randomBytes } from 'node:crypto';

/**
 * The OAuth2 client-credentials side of the simulated Lucca API (`POST /connect/token`): clients
 * registered per tenant, opaque bearer tokens with an expiry on the sandbox clock. An expired or
 * unknown token is refused (401), as Lucca documents.
 */
export interface OAuthClient {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

export interface IssuedToken {
  token: string;
  tenantId: string;
  scopes: string[];
  expiresAtMs: number;
}

export type TokenRequestOutcome =
  | { ok: true; token: IssuedToken; expiresInSeconds: number }
  | { ok: false; status: 400 | 401; error: 'invalid_request' | 'invalid_client' | 'invalid_scope' | 'unsupported_grant_type' };

export class OAuthTokenIssuer {
  private readonly clients = new Map<string, OAuthClient>();
  private readonly tokens = new Map<string, IssuedToken>();
  /** Tokens issued so far (tests count refreshes). */
  issuedCount = 0;

  constructor(
    private readonly now: () => number,
    public ttlSeconds = 1800,
  ) {}

  addClient(client: OAuthClient): void {
    this.clients.set(client.clientId, { ...client, scopes: [...client.scopes] });
  }

  issue(form: URLSearchParams): TokenRequestOutcome {
    if (form.get('grant_type') !== 'client_credentials') return { ok: false, status: 400, error: 'unsupported_grant_type' };
    const client = this.clients.get(form.get('client_id') ?? '');
    if (!client || client.clientSecret !== form.get('client_secret')) return { ok: false, status: 401, error: 'invalid_client' };
    const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
    if (requested.some((s) => !client.scopes.includes(s))) return { ok: false, status: 400, error: 'invalid_scope' };
    const token: IssuedToken = {
      token: randomBytes(24).toString('base64url'),
      tenantId: client.tenantId,
      scopes: requested.length > 0 ? requested : [...client.scopes],
      expiresAtMs: this.now() + this.ttlSeconds * 1000,
    };
    this.tokens.set(token.token, token);
    this.issuedCount += 1;
    return { ok: true, token, expiresInSeconds: this.ttlSeconds };
  }

  /** The live token of an `Authorization: Bearer …` header, or undefined (missing, unknown, expired). */
  verify(header: string | undefined): IssuedToken | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    const token = match ? this.tokens.get(match[1]!) : undefined;
    if (!token || token.expiresAtMs <= this.now()) return undefined;
    return token;
  }

  /** Fault: every token of the tenant expires now (as if the clock had passed their expiry). */
  expireTokens(tenantId: string): void {
    for (const token of this.tokens.values()) if (token.tenantId === tenantId) token.expiresAtMs = this.now();
  }
}
