import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { parisDay } from '../../../dev/simulators/lucca/lucca-dates';
import { connectorHealthQuery, type ConnectorHealth } from '../../../src/shared/connector-health';
import { LUCCA_CHANGE_FEED, luccaChangeFeedWorkflowId } from '../../../src/shared/lucca-change-feed-contract';
import { startEventsPathWorld, type EventsPathWorld } from '../../support/events-path-world';
import { isExcludedFromElevo } from '../../support/excluded-from-elevo';
import { waitFor } from '../../support/wait-for';
import { TEST_DELIVERY } from '../lucca-api/lucca-api-test-kit';

const TENANT = 'acme';
/** Sweeps every 3 s; the v3 catch-up every 20 s (an hour by default) while polling stands down. */
const FRESHNESS = {
  pollSeconds: 1,
  overlapSeconds: 60,
  burstThreshold: 50,
  sweepSeconds: 3,
  pollFallbackAfterSeconds: 600,
  catchUpSeconds: 20,
};

/**
 * N10 false (docs/external-apis.md): the events feed without `status=` lists delivered events only, so a lost
 * delivery never shows in the sweep, and polling stays down while other deliveries arrive. The change must still
 * reach Elevo within the catch-up bound: while polling stands down, v3 is read since the last read.
 */
describe('change feed when the events feed lists delivered events only', () => {
  let world: EventsPathWorld;

  beforeAll(async () => {
    world = await startEventsPathWorld({
      tenantId: TENANT,
      luccaApiKey: 'b51e0d2a-7c44-4a8e-9f3b-2d6c1e0a9b57',
      employees: 30,
      seed: 37,
      today: parisDay(new Date()),
      freshness: FRESHNESS,
      delivery: TEST_DELIVERY,
    });
    world.api.tenant(TENANT).variant = { feedListing: 'delivered-only' };
    await world.client.workflow.start(LUCCA_CHANGE_FEED, {
      workflowId: luccaChangeFeedWorkflowId(TENANT, 'elevo-user-sync'),
      taskQueue: world.harness.taskQueue,
      args: [{ tenantId: TENANT, connector: 'elevo-user-sync' }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
  }, 240_000);

  afterAll(async () => world?.stop());

  const health = (): Promise<ConnectorHealth> =>
    world.client.workflow.getHandle(luccaChangeFeedWorkflowId(TENANT, 'elevo-user-sync')).query(connectorHealthQuery);
  const elevoUser = (luccaId: number) => world.elevo.users(TENANT).find((u) => u.externalId === String(luccaId));

  it('a lost delivery the sweep cannot see reaches Elevo through the v3 catch-up, polling still standing down', async () => {
    await waitFor('the first sweeps', async () => (await health()).sweeps! >= 2, 60_000);
    const employee = [...world.store.users.values()].find(
      (u) =>
        world.store.statusOf(u) === 'current' && u.dtContractEnd === null && !isExcludedFromElevo(world.store, u.id) && elevoUser(u.id),
    )!;
    world.api.scriptDeliveryFaults(TENANT, [{ kind: 'lose' }]);
    world.store.updateUser(employee.id, { jobTitle: 'Rattrapé par la relecture v3' });
    await waitFor('Elevo shows the change', () => elevoUser(employee.id)?.jobTitle === 'Rattrapé par la relecture v3', 120_000);
    const after = await health();
    expect(after.missedDeliveries ?? 0).toBe(0); // the sweep never saw it: the catch-up did
    expect(after.polls).toBeGreaterThanOrEqual(1);
    expect(after.polling).toBe('standing-down');
  }, 240_000);
});
