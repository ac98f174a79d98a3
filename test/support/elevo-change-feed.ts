import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { connectorHealthQuery, type ConnectorHealth } from '../../src/shared/connector-health';
import { LUCCA_CHANGE_FEED, luccaChangeFeedWorkflowId } from '../../src/shared/lucca-change-feed-contract';
import type { EventsPathWorld } from './events-path-world';
import { isExcludedFromElevo } from './excluded-from-elevo';

/** The Elevo change feed of one tenant of an events-path world, as the freshness tests drive and watch it. */
export function elevoChangeFeed(world: EventsPathWorld, tenantId: string) {
  const workflowId = luccaChangeFeedWorkflowId(tenantId, 'elevo-user-sync');
  const elevoUser = (luccaId: number) => world.elevo.users(tenantId).find((u) => u.externalId === String(luccaId));
  return {
    start: () =>
      world.client.workflow.start(LUCCA_CHANGE_FEED, {
        workflowId,
        taskQueue: world.harness.taskQueue,
        args: [{ tenantId, connector: 'elevo-user-sync' }],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      }),
    health: (): Promise<ConnectorHealth> => world.client.workflow.getHandle(workflowId).query(connectorHealthQuery),
    elevoUser,
    /** Current employees already in Elevo: the ones a change should reach. */
    syncedEmployees: () =>
      [...world.store.users.values()].filter(
        (u) =>
          world.store.statusOf(u) === 'current' && u.dtContractEnd === null && !isExcludedFromElevo(world.store, u.id) && elevoUser(u.id),
      ),
  };
}
