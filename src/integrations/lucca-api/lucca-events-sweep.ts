import { z } from 'zod';
import { PermanentError } from '../../shared/permanent-error';
import { employeeIdOf } from './employee-topics';
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
  for (let pages = 0; pages < limits.maxPages; pages++) {
    const page = await client.eventsPage(position.page, limits.pageSize);
    const seen = new Set(position.seen);
    for (const event of page.items.filter((e) => !seen.has(e.id))) {
      eventIds.push(event.id);
      const id = employeeIdOf(event);
      if (id === undefined) continue;
      employees.add(id);
      employeeEvents.push([event.id, id]);
    }
    const next = page.links?.next?.href;
    position = next ? { v: 1, page: next, seen: [], skipping } : { v: 1, page: page.url, seen: page.items.map((e) => e.id) };
    if (!next) break;
  }
  // A first sweep only finds where "now" is: what happened before is the daily run's business.
  if (skipping) return { employeeIds: [], eventIds: [], employeeEvents: [], cursor: JSON.stringify(position) };
  return { employeeIds: [...employees].sort((a, b) => a - b), eventIds, employeeEvents, cursor: JSON.stringify(position) };
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
