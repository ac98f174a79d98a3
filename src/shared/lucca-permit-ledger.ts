import type { CarriedLedger, LuccaBudgetState, LuccaPermit, LuccaPermitAsk } from './lucca-budget-contract';

/** Reserve at most this far ahead: a waiting activity holds a worker slot, later callers come back. */
export const MAX_AHEAD_MS = 15_000;
/** A lowered `requestsPerMinute` applies at once; a raised one once no caller asked with the old one for this long. */
export const LIMIT_MEMORY_MS = 60_000;
/** A holder with a reservation ahead, or that asked this recently, competes for the next slots. */
const ACTIVE_HOLDER_MS = 5_000;
const FAIRNESS_RETRY_MS = 1_000;
/** Background asks use at most this share of the window, and only slots free right now. */
export const BACKGROUND_SHARE = 0.5;
const BACKGROUND_RETRY_MS = 5_000;

interface Reservation {
  id: number;
  at: number;
  holder: string;
}

/**
 * The permit ledger of one Lucca domain, pure and deterministic (it runs inside a workflow, `now`
 * is the workflow's clock). Rules:
 * - sliding window: at most `perMinute` reservations in any `windowMs`, reservations in time order;
 * - nothing before a 429 pause ends;
 * - fairness: while slots are scarce, no holder (connector) keeps more than its share of the
 *   reservations still ahead, so a big sync does not queue the orders out for minutes;
 * - a reservation that was not used is returned and frees its slot.
 */
export class PermitLedger {
  private reserved: Reservation[] = [];
  private pausedUntil = 0;
  private limits: Array<{ perMinute: number; at: number }> = [];
  private lastAsk = new Map<string, number>();
  private nextId = 1;
  totalGranted = 0;
  totalReturned = 0;
  private readonly grantedByHolder = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    carried: CarriedLedger | undefined,
    now: number,
  ) {
    if (!carried) return;
    this.reserved = carried.reservedInMs.map((r) => ({ id: r.id, at: now + r.inMs, holder: r.holder }));
    this.pausedUntil = now + carried.pausedForMs;
    this.limits = carried.limits.map((l) => ({ perMinute: l.perMinute, at: now - l.agoMs }));
    this.nextId = carried.nextPermitId;
  }

  ask(now: number, ask: LuccaPermitAsk): LuccaPermit {
    this.prune(now);
    this.limits.push({ perMinute: Math.max(1, Math.floor(ask.perMinute)), at: now });
    this.lastAsk.set(ask.holder, now);
    const perMinute = this.perMinute();
    if (ask.priority === 'background' && !this.roomForBackground(now, perMinute)) return { retryInMs: BACKGROUND_RETRY_MS };
    let at = Math.max(now, this.pausedUntil, this.reserved.at(-1)?.at ?? 0);
    if (this.reserved.length >= perMinute) at = Math.max(at, this.reserved[this.reserved.length - perMinute]!.at + this.windowMs);
    if (at - now > MAX_AHEAD_MS) return { retryInMs: at - now - MAX_AHEAD_MS };
    if (at > now && this.holdsMoreThanItsShare(now, ask.holder, perMinute)) return { retryInMs: FAIRNESS_RETRY_MS };
    const id = this.nextId++;
    this.reserved.push({ id, at, holder: ask.holder });
    this.totalGranted++;
    this.grantedByHolder.set(ask.holder, (this.grantedByHolder.get(ask.holder) ?? 0) + 1);
    return { permitId: id, waitMs: at - now };
  }

  /** Removes an unused reservation; later ones keep their time (still valid: the window only got emptier). */
  giveBack(permitId: number): void {
    const index = this.reserved.findIndex((r) => r.id === permitId);
    if (index < 0) return;
    this.reserved.splice(index, 1);
    this.totalReturned++;
  }

  pause(now: number, forMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, now + forMs);
  }

  /** The lowest limit asked with in the last minute. */
  perMinute(): number {
    return Math.min(...this.limits.map((l) => l.perMinute));
  }

  state(now: number, domainKey: string): LuccaBudgetState {
    this.prune(now);
    return {
      domainKey,
      perMinute: this.limits.length > 0 ? this.perMinute() : 0,
      reservedInWindow: this.reserved.length,
      pausedForMs: Math.max(0, this.pausedUntil - now),
      totalGranted: this.totalGranted,
      totalReturned: this.totalReturned,
      grantedByHolder: Object.fromEntries(this.grantedByHolder),
    };
  }

  carry(now: number): CarriedLedger {
    this.prune(now);
    return {
      reservedInMs: this.reserved.map((r) => ({ id: r.id, inMs: r.at - now, holder: r.holder })),
      pausedForMs: Math.max(0, this.pausedUntil - now),
      limits: this.limits.map((l) => ({ perMinute: l.perMinute, agoMs: now - l.at })),
      nextPermitId: this.nextId,
    };
  }

  /** A slot free now, nobody queued ahead, and the window at most half used. */
  private roomForBackground(now: number, perMinute: number): boolean {
    if (now < this.pausedUntil || this.reserved.some((r) => r.at > now)) return false;
    return this.reserved.length < Math.max(1, Math.floor(perMinute * BACKGROUND_SHARE));
  }

  private holdsMoreThanItsShare(now: number, holder: string, perMinute: number): boolean {
    const ahead = this.reserved.filter((r) => r.at > now);
    const active = new Set(ahead.map((r) => r.holder));
    for (const [h, at] of this.lastAsk) if (now - at <= ACTIVE_HOLDER_MS) active.add(h);
    if (active.size <= 1) return false;
    const mine = ahead.filter((r) => r.holder === holder).length;
    return mine >= Math.max(1, Math.ceil(Math.min(perMinute, ahead.length + 1) / active.size));
  }

  private prune(now: number): void {
    while (this.reserved.length > 0 && this.reserved[0]!.at <= now - this.windowMs) this.reserved.shift();
    this.limits = this.limits.filter((l) => now - l.at < LIMIT_MEMORY_MS);
    for (const [h, at] of this.lastAsk) if (now - at > LIMIT_MEMORY_MS) this.lastAsk.delete(h);
  }
}
