/**
 * Server-side "N requests per rolling window" limiter, as remote APIs enforce it (Lucca: 50 per
 * 60 s per domain). Rejected requests do not consume budget. The clock is injectable so tests can
 * move time instead of waiting.
 */
export class SlidingWindowLimiter {
  private readonly accepted: number[] = [];

  constructor(
    /** 0 (or less) = unlimited. */
    private limit: number,
    private readonly windowMs: number = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  setLimit(limit: number): void {
    this.limit = limit;
  }

  /** Takes one slot, or tells how long to wait (whole seconds, at least 1) for the next one. */
  tryAcquire(): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (this.limit <= 0) return { ok: true };
    const now = this.now();
    while (this.accepted.length > 0 && (this.accepted[0] as number) <= now - this.windowMs) this.accepted.shift();
    if (this.accepted.length < this.limit) {
      this.accepted.push(now);
      return { ok: true };
    }
    const oldest = this.accepted[0] as number;
    const waitMs = oldest + this.windowMs - now;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  reset(): void {
    this.accepted.length = 0;
  }
}
