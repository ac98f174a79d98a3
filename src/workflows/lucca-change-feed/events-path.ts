/** What the events path carries over continue-as-new (workflow times in ms since the epoch). */
export interface CarriedEventsPath {
  /** The events-feed sweep's opaque cursor; absent: the first sweep starts watching now. */
  sweepCursor?: string;
  lastSweepAt?: number;
  /** The last sign the newer API is delivering: a webhook signal or a successful sweep. */
  lastHeardAt?: number;
  /** Until then v3 polling runs: a sweep found deliveries that never arrived. */
  missedUntil?: number;
  /** When the v3 cursor was last set to Lucca's newest stamp while polling stood down. */
  v3CursorAt?: number;
  missedDeliveries?: number;
}

/** The v3 cursor is moved to Lucca's newest stamp this often while polling stands down (1 request). */
export const V3_CURSOR_REFRESH_MS = 60 * 60 * 1000;

/**
 * The newer Lucca API's side of a change feed (`lucca.events`): webhook signals act at once, the
 * events feed is swept every `sweepSeconds` for deliveries that never came, and v3 `modifiedAt`
 * polling stands down while deliveries are healthy. Polling resumes when nothing was heard — no
 * webhook signal and no successful sweep — for `fallbackAfterSeconds` (the newer API unreachable,
 * credentials revoked), or for `fallbackAfterSeconds` after a sweep found a missed delivery (the
 * endpoint suspended or losing events: polling is faster than the sweep). Pure state: the
 * workflow's time (`Date.now()`) only, deterministic.
 */
export class EventsPath {
  readonly state: CarriedEventsPath;

  constructor(carried: CarriedEventsPath | undefined, now: number) {
    // A feed that starts on this path gives deliveries a chance before polling.
    this.state = { lastHeardAt: now, ...carried };
  }

  sweepDue(now: number, sweepSeconds: number): boolean {
    return this.state.lastSweepAt === undefined || now - this.state.lastSweepAt >= sweepSeconds * 1000;
  }

  heard(at: number | undefined): void {
    if (at !== undefined && at > (this.state.lastHeardAt ?? 0)) this.state.lastHeardAt = at;
  }

  swept(now: number, cursor: string, missed: number, fallbackAfterSeconds: number): void {
    Object.assign(this.state, { sweepCursor: cursor, lastSweepAt: now });
    this.heard(now);
    if (missed === 0) return;
    this.state.missedDeliveries = (this.state.missedDeliveries ?? 0) + missed;
    this.state.missedUntil = now + fallbackAfterSeconds * 1000;
  }

  sweepFailed(now: number): void {
    this.state.lastSweepAt = now;
  }

  /** Whether v3 polling runs now (the fallback). */
  pollingNeeded(now: number, fallbackAfterSeconds: number): boolean {
    const silentFor = now - (this.state.lastHeardAt ?? 0);
    return silentFor > fallbackAfterSeconds * 1000 || (this.state.missedUntil ?? 0) > now;
  }

  /** While polling stands down, the v3 cursor is kept near Lucca's present so a fallback does not re-read days of changes. */
  v3CursorStale(now: number, hasCursor: boolean, refreshMs = V3_CURSOR_REFRESH_MS): boolean {
    return !hasCursor || now - (this.state.v3CursorAt ?? 0) >= refreshMs;
  }
}
