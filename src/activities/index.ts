import { CONNECTORS, type RegisteredConnector } from '../connectors/registry';
import type { ConnectorDefinition } from '../connectors/connector-definition';
import type { ActivityDependencies } from './activity-dependencies';
import { createLuccaConnectionActivities } from './lucca-connection-activities';
import { createLuccaEventsActivities } from './lucca-events-activities';
import { createNotificationActivities } from './notification-activities';
import { createChangeFeedActivities } from './lucca-change-feed/change-feed-activities';

export type { ActivityDependencies } from './activity-dependencies';

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The activities of every registered connector, plus the Lucca connection check. */
export type Activities = ReturnType<typeof createLuccaConnectionActivities> &
  ReturnType<typeof createNotificationActivities> &
  ReturnType<typeof createChangeFeedActivities> &
  ReturnType<typeof createLuccaEventsActivities> &
  UnionToIntersection<ReturnType<RegisteredConnector['createActivities']>>;

/** Every activity of the worker, built from its dependencies (tests pass sandbox-backed ones, and may add a connector). */
export function createActivities(deps: ActivityDependencies, connectors: readonly ConnectorDefinition[] = CONNECTORS): Activities {
  // Shared by every connector: the Lucca connection check and the alerts (`notify`).
  const all: Record<string, unknown> = {
    ...createLuccaConnectionActivities(deps),
    ...createNotificationActivities(deps),
    ...createChangeFeedActivities(deps),
    ...createLuccaEventsActivities(deps),
  };
  for (const connector of connectors) {
    for (const [name, activity] of Object.entries(connector.createActivities(deps))) {
      // Activity types share one task queue: a second definition would silently replace the first.
      if (name in all) throw new Error(`activity "${name}" of connector "${connector.name}" is already defined`);
      all[name] = activity;
    }
  }
  return all as Activities;
}
