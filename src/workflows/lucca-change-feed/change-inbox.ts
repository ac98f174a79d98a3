import { log } from '@temporalio/workflow';
import type { ChangeSource, EmployeesChanged } from '../../shared/lucca-change-feed-contract';

/** Event ids remembered for deduplication (FIFO): Lucca retries a delivery for about a day. */
export const EVENT_ID_MEMORY = 5_000;
const MAX_IDS_PER_SIGNAL = 10_000;
const SOURCES: readonly ChangeSource[] = ['poll', 'webhook', 'events-feed'];

export interface CarriedInbox {
  /** `[luccaId, observedAt]`: the earliest observation of each employee not applied yet. */
  pending: Array<[number, string]>;
  eventIds: string[];
  wantsFullRun?: boolean;
}

/**
 * The employees a feed has seen change and not applied yet, from its own polls and from
 * `employeesChanged` signals (webhooks, events feed, a sibling feed). Signals are validated (a bad
 * one is dropped and logged, without its content) and deduplicated by provider event id.
 */
export class ChangeInbox {
  private readonly pending: Map<number, string>;
  private readonly eventIds: string[];
  private readonly knownEvents: Set<string>;
  /** Something arrived since the last `take()`: wakes the feed before its next poll. */
  arrived = false;
  /** More changed than a poll answer carries (a burst): the next run is a full one. */
  wantsFullRun = false;
  dropped = 0;
  duplicates = 0;
  /** Workflow time of the last valid webhook signal (a redelivery too): deliveries are flowing. */
  lastWebhookAt?: number;

  constructor(carried?: CarriedInbox) {
    this.pending = new Map(carried?.pending ?? []);
    this.eventIds = [...(carried?.eventIds ?? [])];
    this.knownEvents = new Set(this.eventIds);
    this.wantsFullRun = carried?.wantsFullRun ?? false;
  }

  get size(): number {
    return this.pending.size + (this.wantsFullRun ? 1 : 0);
  }

  add(ids: readonly number[], observedAt: string): void {
    for (const id of ids) {
      const known = this.pending.get(id);
      if (known === undefined || observedAt < known) this.pending.set(id, observedAt);
    }
    if (ids.length > 0) this.arrived = true;
  }

  /** The `employeesChanged` handler: never throws (a signal cannot be refused), drops what is invalid. */
  accept(signal: unknown): void {
    const problem = invalidity(signal);
    if (problem) {
      this.dropped++;
      log.warn('change signal dropped', { problem });
      return;
    }
    const change = signal as EmployeesChanged;
    if (change.source === 'webhook') this.lastWebhookAt = Date.now();
    const fresh = change.eventIds.filter((id) => !this.knownEvents.has(id));
    if (change.eventIds.length > 0 && fresh.length === 0) {
      this.duplicates++;
      return; // a redelivery: every event already handled
    }
    for (const id of fresh) this.remember(id);
    this.add(change.employeeIds, new Date(Date.parse(change.observedAt)).toISOString());
  }

  /**
   * A sweep of the events feed: only the events no signal brought yet are added (a webhook already
   * handled the others); returns those, as `[eventId, luccaId]` — deliveries that were missed.
   */
  acceptSwept(
    swept: { eventIds: readonly string[]; employeeEvents: ReadonlyArray<[string, number]>; unreadable?: readonly string[] },
    observedAt: string,
  ): { missed: Array<[string, number]>; unreadable: number } {
    const missed = swept.employeeEvents.filter(([id]) => !this.knownEvents.has(id));
    // `?? []`: results recorded before the sweep reported them.
    const unreadable = (swept.unreadable ?? []).filter((id) => !this.knownEvents.has(id)).length;
    for (const id of swept.eventIds) if (!this.knownEvents.has(id)) this.remember(id);
    this.add(
      missed.map(([, luccaId]) => luccaId),
      observedAt,
    );
    return { missed, unreadable };
  }

  /** Everything pending, oldest observation first; the inbox is empty afterwards. */
  take(): { ids: number[]; oldestObservedAt: string | undefined; full: boolean } {
    const entries = [...this.pending];
    const full = this.wantsFullRun;
    this.pending.clear();
    this.arrived = false;
    this.wantsFullRun = false;
    const oldest = entries.reduce<string | undefined>((min, [, at]) => (min === undefined || at < min ? at : min), undefined);
    return { ids: entries.map(([id]) => id).sort((a, b) => a - b), oldestObservedAt: oldest, full };
  }

  /** Puts back what could not be applied (the next tick tries again), without waking the feed. */
  putBack(ids: readonly number[], observedAt: string, full = false): void {
    const arrived = this.arrived;
    this.add(ids, observedAt);
    this.wantsFullRun ||= full;
    this.arrived = arrived;
  }

  oldestPending(): string | undefined {
    let oldest: string | undefined;
    for (const at of this.pending.values()) if (oldest === undefined || at < oldest) oldest = at;
    return oldest;
  }

  carry(): CarriedInbox {
    return { pending: [...this.pending], eventIds: [...this.eventIds], ...(this.wantsFullRun ? { wantsFullRun: true } : {}) };
  }

  private remember(id: string): void {
    this.eventIds.push(id);
    this.knownEvents.add(id);
    while (this.eventIds.length > EVENT_ID_MEMORY) this.knownEvents.delete(this.eventIds.shift()!);
  }
}

/** Why a signal is unusable, as a code (never its content: it may come from outside). */
function invalidity(signal: unknown): string | undefined {
  if (!signal || typeof signal !== 'object') return 'not-an-object';
  const s = signal as Partial<Record<keyof EmployeesChanged, unknown>>;
  if (!Array.isArray(s.employeeIds) || s.employeeIds.length > MAX_IDS_PER_SIGNAL) return 'employee-ids';
  if (!s.employeeIds.every((id) => Number.isSafeInteger(id) && (id as number) > 0)) return 'employee-ids';
  if (typeof s.source !== 'string' || !SOURCES.includes(s.source as ChangeSource)) return 'source';
  if (!Array.isArray(s.eventIds) || s.eventIds.length > MAX_IDS_PER_SIGNAL) return 'event-ids';
  if (!s.eventIds.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 200)) return 'event-ids';
  if (typeof s.observedAt !== 'string' || Number.isNaN(Date.parse(s.observedAt))) return 'observed-at';
  return undefined;
}
