import { cancellationSignal } from '@temporalio/activity';
import { freshnessSchema } from '../../config/config-schema';
import { connectorsOf } from '../../connectors/registry';
import { newestModification, readModifiedSince } from '../../integrations/lucca/lucca-incremental-read';
import { luccaChangeFeedWorkflowId } from '../../shared/lucca-change-feed-contract';
import { normalizeNaiveDateTime } from '../../shared/naive-date-time';
import type { ActivityDependencies } from '../activity-dependencies';
import { budgetedIntervals } from './poll-budget';

/** What a change feed needs from the config (workflows never read it): read at each run's start. */
export interface ChangeFeedSettings {
  /** false: the tenant, the connector or freshness is disabled (or the tenant is gone): the feed idles as `paused`. */
  active: boolean;
  pollSeconds: number;
  overlapSeconds: number;
  burstThreshold: number;
  /** Whether this feed polls Lucca; else a sibling feed of the tenant polls and forwards (one poll per tenant). */
  polls: boolean;
  /** Feeds of the tenant's other connectors the poller forwards its changes to. */
  forwardTo: string[];
  /**
   * The tenant configures the newer Lucca API (`lucca.events`) and this feed polls: it sweeps the
   * events feed instead, and polls v3 only as the fallback. Absent in results recorded before.
   */
  events?: { sweepSeconds: number; fallbackAfterSeconds: number; catchUpSeconds?: number };
}

/** An answer's size in history stays small: past this many users only the newest stamp and the count travel. */
export const MAX_USERS_PER_POLL = 2_000;

export interface PollResult {
  users: Array<{ id: number; modifiedAt: string }>;
  /** Users Lucca reported modified (more than `users` when capped: a burst). */
  total: number;
  newest?: string;
  generated?: string;
  requests: number;
}

export function createChangeFeedActivities(deps: ActivityDependencies) {
  return {
    async changeFeedSettings(input: { tenantId: string; connector: string }): Promise<ChangeFeedSettings> {
      const tenant = deps.tenants.loaded.config.tenants.find((t) => t.id === input.tenantId);
      const enabled = tenant ? connectorsOf(tenant).map((c) => c.name) : [];
      const freshness = tenant?.freshness ?? freshnessSchema.parse({ enabled: false });
      const active = !!tenant && tenant.enabled && freshness.enabled && enabled.includes(input.connector);
      // The first enabled connector's feed polls for the whole tenant: an idle tenant costs one request per poll.
      const polls = active && enabled[0] === input.connector;
      const forwardTo = polls ? enabled.slice(1).map((c) => luccaChangeFeedWorkflowId(input.tenantId, c)) : [];
      const intervals = polls && tenant ? await budgetedIntervals(deps, tenant, freshness) : freshness;
      return {
        active,
        pollSeconds: intervals.pollSeconds,
        overlapSeconds: freshness.overlapSeconds,
        burstThreshold: freshness.burstThreshold,
        polls,
        forwardTo,
        ...(polls && tenant?.lucca.events
          ? {
              events: {
                sweepSeconds: intervals.sweepSeconds,
                fallbackAfterSeconds: freshness.pollFallbackAfterSeconds,
                catchUpSeconds: freshness.catchUpSeconds,
              },
            }
          : {}),
      };
    },

    /** Where a new feed starts: Lucca's newest stamp (or its clock), never ours. One request. */
    async startChangeCursor(input: { tenantId: string }): Promise<{ cursor: string }> {
      const { newest, generated } = await newestModification(deps.tenants.lucca(input.tenantId), cancellationSignal());
      const fallback = normalizeNaiveDateTime((deps.now ?? (() => new Date()))().toISOString().slice(0, 23));
      // A stamp ahead of Lucca's own clock (bad data) must not become a floor that hides real changes.
      const cursor = newest && generated ? (newest < generated ? newest : generated) : (newest ?? generated ?? fallback!);
      return { cursor };
    },

    /** Users modified since `since` (ids and stamps), one request per 1,000. */
    async pollLuccaChanges(input: { tenantId: string; since: string }): Promise<PollResult> {
      const answer = await readModifiedSince(deps.tenants.lucca(input.tenantId), input.since, cancellationSignal());
      let newest: string | undefined;
      for (const u of answer.users) if (!newest || u.modifiedAt > newest) newest = u.modifiedAt;
      const users = [...answer.users].sort((a, b) => (a.modifiedAt < b.modifiedAt ? -1 : 1)).slice(-MAX_USERS_PER_POLL);
      return {
        users,
        total: answer.users.length,
        requests: answer.requests,
        ...(newest ? { newest } : {}),
        ...(answer.generated ? { generated: answer.generated } : {}),
      };
    },
  };
}
