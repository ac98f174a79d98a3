import { shiftNaiveDateTime } from '../../shared/naive-date-time';

/**
 * Where a `modifiedAt` poll resumes. Everything is on Lucca's clock (its stamps and its
 * `header.generated`), never ours, so clock skew and Lucca's unstated time zone cannot lose a change.
 * Pure and deterministic: runs inside the change-feed workflow.
 */
export interface ChangeCursor {
  /** The newest `modifiedAt` seen (normalized naive date-time). */
  cursor: string;
  /** `[id, modifiedAt]` already handed on whose stamp is still inside the overlap: not handed on twice. */
  seen: Array<[number, string]>;
  /** Where the feed started: stamps up to it predate the feed (the daily run's business), never handed on. */
  floor?: string;
}

export interface PollAnswer {
  users: Array<{ id: number; modifiedAt: string }>;
  /** The newest stamp of the whole answer (also of users left out of `users` when it was capped). */
  newest?: string;
  generated?: string;
}

/** Bound of `seen`: past it the oldest are forgotten (at worst an employee is synced twice, harmlessly). */
export const MAX_SEEN = 2_000;

/** The `since,` bound: the cursor minus the overlap (a write stamped earlier may commit later). */
export function sinceOf(state: ChangeCursor, overlapMs: number): string {
  return shiftNaiveDateTime(state.cursor, -overlapMs);
}

/** Folds one poll's answer into the cursor; returns the employees not handed on yet. */
export function advanceCursor(state: ChangeCursor, answer: PollAnswer, overlapMs: number): { next: ChangeCursor; changed: number[] } {
  const seen = new Map(state.seen);
  const changed: number[] = [];
  let cursor = state.cursor;
  for (const { id, modifiedAt } of answer.users) {
    if (seen.get(id) !== modifiedAt && !(state.floor !== undefined && modifiedAt <= state.floor)) changed.push(id);
    seen.set(id, modifiedAt);
    if (modifiedAt > cursor) cursor = modifiedAt;
  }
  if (answer.newest && answer.newest > cursor) cursor = answer.newest;
  // Lucca's clock went back (DST fall-back of a local clock, a corrected clock): resume from it, or
  // writes stamped in the repeated hour would sort before the cursor and be missed.
  let floor = state.floor;
  if (answer.generated && answer.generated < cursor) {
    cursor = answer.generated;
    if (floor !== undefined && answer.generated < floor) floor = answer.generated;
  }
  const since = shiftNaiveDateTime(cursor, -overlapMs);
  const kept = [...seen].filter(([, at]) => at >= since).sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] - b[0]));
  return {
    next: { cursor, seen: kept.slice(-MAX_SEEN), ...(floor !== undefined ? { floor } : {}) },
    changed: [...new Set(changed)].sort((a, b) => a - b),
  };
}
