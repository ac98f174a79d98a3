import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A budget of requests per rolling minute for one remote domain. Lucca allows 50 requests per
 * minute per customer domain, shared by all integrations, so every caller of that domain in this
 * process draws from the same budget instead of discovering the limit through 429s.
 */
export interface RequestBudget {
  /** Resolves when one more request may be sent. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** The remote said "slow down" (429 + Retry-After): hold every caller until then. */
  pauseFor(ms: number): void;
}

/** Lucca counts a request when it arrives, a little after we let it go: keep a slot a second longer. */
const WINDOW_MS = 61_000;

export class SlidingWindowBudget implements RequestBudget {
  private readonly sent: number[] = [];
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  acquire(signal?: AbortSignal): Promise<void> {
    // Serialise waiters so they are served in arrival order.
    const turn = this.queue.then(() => this.waitForSlot(signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  private async waitForSlot(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      while (this.sent.length > 0 && this.sent[0]! <= now - WINDOW_MS) this.sent.shift();
      let waitMs = 0;
      if (this.pausedUntil > now) waitMs = this.pausedUntil - now;
      else if (this.sent.length >= this.perMinute) waitMs = this.sent[0]! + WINDOW_MS - now;
      if (waitMs <= 0) {
        this.sent.push(now);
        return;
      }
      await sleep(Math.min(waitMs, 1_000), undefined, { signal });
    }
  }
}

export const unlimitedBudget: RequestBudget = { acquire: async () => undefined, pauseFor: () => undefined };
