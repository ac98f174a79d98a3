import { parisDay } from '../../../dev/simulators/lucca/lucca-dates';
import { startEventsPathWorld, type EventsPathWorld } from '../../support/events-path-world';
import { elevoChangeFeed } from '../../support/elevo-change-feed';
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
  let feed: ReturnType<typeof elevoChangeFeed>;

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
    feed = elevoChangeFeed(world, TENANT);
    await feed.start();
  }, 240_000);

  afterAll(async () => world?.stop());

  const health = () => feed.health();
  const elevoUser = (luccaId: number) => feed.elevoUser(luccaId);

  it('a lost delivery the sweep cannot see reaches Elevo through the v3 catch-up, polling still standing down', async () => {
    await waitFor('the first sweeps', async () => (await health()).sweeps! >= 2, 60_000);
    const employee = feed.syncedEmployees()[0]!;
    world.api.scriptDeliveryFaults(TENANT, [{ kind: 'lose' }]);
    world.store.updateUser(employee.id, { jobTitle: 'Rattrapé par la relecture v3' });
    await waitFor('Elevo shows the change', () => elevoUser(employee.id)?.jobTitle === 'Rattrapé par la relecture v3', 120_000);
    const after = await health();
    expect(after.missedDeliveries ?? 0).toBe(0); // the sweep never saw it: the catch-up did
    expect(after.polls).toBeGreaterThanOrEqual(1);
    expect(after.polling).toBe('standing-down');
  }, 240_000);
});
