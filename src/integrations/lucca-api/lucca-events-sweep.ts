import { luccaEventKey } from './event-key';
import { z } from 'zod';
import { PermanentError } from '../../shared/permanent-error';
import { employeeIdOf, isEmployeeTopic } from './employee-topics';
import type { LuccaApiClient } from './lucca-api-client';

/**
 * Catch-up over the events feed, for deliveries that never arrived (lost, failed after Lucca's
 * retries, endpoint suspended). The cursor is ours and opaque to callers: the URL of the last page
 * read plus the ids already taken from it. Re-reading that page later yields the events appended
 * since (ASSUMED: oldest first, and a page URL stays valid: see docs/freshness-webhooks.md).
 */
export interface EventsSweepResult {
  /** Lucca user ids named by the new events, deduplicated, ascending. */
  employeeIds: number[];
  /** Every new event id seen (also those about other resources), for deduplication downstream. */
  eventIds: string[];
  /** `[eventId, luccaId]` of the new events that name an employee: the change feed tells a missed delivery from one it already had. */
  employeeEvents: Array<[string, number]>;
  /**
   * New events of a topic we subscribe to whose employee we cannot read (the fields we rely on are
   * missing): the change feed counts them as missed deliveries, so v3 polling takes over.
   */
  unreadable: string[];
  /** Pass it back next time; `null` in means "start watching now" (the daily run covers the past). */
  cursor: string;
}

/** `skipping`: a first sweep still walking to the end of the feed; what it passes is not reported. */
const cursorSchema = z.object({
  v: z.literal(1),
  page: z.string().optional(),
  seen: z.array(z.string()),
  skipping: z.boolean().optional(),
});
type SweepCursor = z.infer<typeof cursorSchema>;

export interface SweepLimits {
  /** Pages read per sweep at most (each is one Lucca request); the next sweep goes on from there. */
  maxPages: number;
  pageSize: number;
}

export const DEFAULT_SWEEP_LIMITS: SweepLimits = { maxPages: 5, pageSize: 100 };

export async function sweepLuccaEventsWith(
  client: LuccaApiClient,
  cursor: string | null,
  limits: SweepLimits = DEFAULT_SWEEP_LIMITS,
): Promise<EventsSweepResult> {
  let position: SweepCursor = cursor === null ? { v: 1, seen: [], skipping: true } : parseCursor(cursor);
  const skipping = position.skipping === true;
  const employees = new Set<number>();
  const eventIds: string[] = [];
  const employeeEvents: Array<[string, number]> = [];
  const unreadable: string[] = [];
  for (let pages = 0; pages < limits.maxPages; pages++) {
    const page = await client.eventsPage(position.page, limits.pageSize);
    assertOldestFirst(page.items);
    const seen = new Set(position.seen);
    for (const event of page.items.filter((e) => !seen.has(luccaEventKey(e)))) {
      const key = luccaEventKey(event);
      eventIds.push(key);
      const id = employeeIdOf(event);
      if (id === undefined) {
        if (isEmployeeTopic(event.topic)) unreadable.push(key);
        continue;
      }
      employees.add(id);
      employeeEvents.push([key, id]);
    }
    const next = page.links?.next?.href;
    position = next ? { v: 1, page: next, seen: [], skipping } : { v: 1, page: page.url, seen: page.items.map(luccaEventKey) };
    if (!next) break;
  }
  // A first sweep only finds where "now" is: what happened before is the daily run's business.
  if (skipping) return { employeeIds: [], eventIds: [], employeeEvents: [], unreadable: [], cursor: JSON.stringify(position) };
  return { employeeIds: [...employees].sort((a, b) => a - b), eventIds, employeeEvents, unreadable, cursor: JSON.stringify(position) };
}

/**
 * The cursor is only right if the feed is oldest first (ASSUMED, docs/external-apis.md N5): a page
 * that is not fails the sweep loudly (the feed then falls back to polling) instead of skipping events.
 */
function assertOldestFirst(items: ReadonlyArray<{ occurredAt?: string }>): void {
  for (let i = 1; i < items.length; i++) {
    const [before, after] = [Date.parse(items[i - 1]!.occurredAt ?? ''), Date.parse(items[i]!.occurredAt ?? '')];
    if (before > after) throw new LuccaEventsOrderError();
  }
}

export class LuccaEventsOrderError extends PermanentError {
  constructor() {
    super('the Lucca events feed is not oldest first: the sweep cannot keep its place in it');
  }
}

function parseCursor(cursor: string): SweepCursor {
  let json: unknown;
  try {
    json = JSON.parse(cursor);
  } catch {
    throw new InvalidSweepCursorError();
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) throw new InvalidSweepCursorError();
  return parsed.data;
}

export class InvalidSweepCursorError extends PermanentError {
  constructor() {
    super('the Lucca events-feed cursor is not one this sweep produced');
  }
}
