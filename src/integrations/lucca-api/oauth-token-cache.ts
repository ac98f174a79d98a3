/**
 * One OAuth2 access token per client, fetched on first use and again shortly before it expires;
 * concurrent callers share one token request. `invalidate` drops a token the API refused (401),
 * so the next call fetches a fresh one (the token may have been revoked or expired early).
 */
export interface CachedTokenSource {
  fetch(): Promise<{ accessToken: string; expiresInSeconds: number }>;
  now?: () => number;
  /** Refresh this long before the announced expiry (clock skew, request time). Default 60 s. */
  refreshMarginMs?: number;
}

export class OAuthTokenCache {
  private current: { token: string; refreshAtMs: number } | undefined;
  private pending: Promise<string> | undefined;
  /** Tokens fetched so far (tests count refreshes). */
  fetchCount = 0;

  constructor(private readonly source: CachedTokenSource) {}

  async get(): Promise<string> {
    const now = (this.source.now ?? Date.now)();
    if (this.current && now < this.current.refreshAtMs) return this.current.token;
    this.pending ??= this.refresh().finally(() => (this.pending = undefined));
    return this.pending;
  }

  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  private async refresh(): Promise<string> {
    const { accessToken, expiresInSeconds } = await this.source.fetch();
    this.fetchCount += 1;
    const now = (this.source.now ?? Date.now)();
    // Never plan a refresh before half the lifetime, even with a large margin and a short token.
    const margin = Math.min(this.source.refreshMarginMs ?? 60_000, (expiresInSeconds * 1000) / 2);
    this.current = { token: accessToken, refreshAtMs: now + expiresInSeconds * 1000 - margin };
    return accessToken;
  }
}
