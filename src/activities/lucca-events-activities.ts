import type { TenantDirectory } from '../config/tenant-directory';
import { sweepLuccaEventsWith, type EventsSweepResult } from '../integrations/lucca-api/lucca-events-sweep';

/** `sweepLuccaEvents(tenantId, cursor)`: the events-feed catch-up, callable outside a worker too (CLI, tests). */
export function createLuccaEventsSweep(tenants: TenantDirectory): (tenantId: string, cursor: string | null) => Promise<EventsSweepResult> {
  return (tenantId, cursor) => sweepLuccaEventsWith(tenants.luccaApi(tenantId), cursor);
}

/**
 * The newer Lucca API's events feed as an activity for the change feed: employees named by events
 * since `cursor` (null: start watching now), their event ids, and the cursor to pass next time.
 * Ids only: the change feed re-reads the employees before acting (events can be stale).
 */
export function createLuccaEventsActivities(deps: { tenants: TenantDirectory }) {
  const sweep = createLuccaEventsSweep(deps.tenants);
  return {
    async sweepLuccaEvents(tenantId: string, cursor: string | null): Promise<EventsSweepResult> {
      return sweep(tenantId, cursor);
    },
  };
}
