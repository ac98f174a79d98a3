import { parisDay } from '../../../dev/simulators/lucca/lucca-dates';
import { startEventsPathWorld, type EventsPathWorld } from '../../support/events-path-world';
import { elevoChangeFeed } from '../../support/elevo-change-feed';
import { waitFor } from '../../support/wait-for';
import { TEST_DELIVERY } from '../lucca-api/lucca-api-test-kit';

const TENANT = 'acme';
const KEY = '3c2b9a41-6d7e-4f10-8a2b-5e9d0c1f7a64';
const TODAY = parisDay(new Date());
/** Sweeps every 3 s (within the background half of 50/min); polling resumes after 10 s of silence or a missed delivery. */
const FRESHNESS = { pollSeconds: 1, overlapSeconds: 60, burstThreshold: 50, sweepSeconds: 3, pollFallbackAfterSeconds: 10 };

/**
 * A tenant with `lucca.events`, all real: the dev server and the project's worker, the v3 and
 * newer-API Lucca simulators, our webhook receiver signalling the change feed, the Elevo simulator.
 * Each fallback: webhooks healthy → v3 polling stands down; a delivery lost → the events-feed sweep
 * brings it (stamped long ago, so no poll could have); the newer API gone → v3 polling resumes.
 */
describe('change feed on the newer Lucca API: webhooks, events-feed sweep, polling as the fallback', () => {
  let world: EventsPathWorld;
  let feed: ReturnType<typeof elevoChangeFeed>;

  beforeAll(async () => {
    world = await startEventsPathWorld({
      tenantId: TENANT,
      luccaApiKey: KEY,
      employees: 30,
      seed: 31,
      today: TODAY,
      freshness: FRESHNESS,
      delivery: TEST_DELIVERY,
    });
    feed = elevoChangeFeed(world, TENANT);
    await feed.start();
  }, 240_000);

  afterAll(async () => world?.stop());

  const health = () => feed.health();
  const elevoUser = (luccaId: number) => feed.elevoUser(luccaId);
  let next = 0;
  const pick = () => feed.syncedEmployees()[next++]!;

  it('webhooks healthy: the change is applied from its delivery and v3 polling stands down', async () => {
    await waitFor('the first sweeps', async () => (await health()).sweeps! >= 2, 60_000);
    const employee = pick();
    world.store.updateUser(employee.id, { jobTitle: 'Livré par webhook' });
    await waitFor('Elevo shows the change', () => elevoUser(employee.id)?.jobTitle === 'Livré par webhook', 60_000);
    const sweepsBefore = (await health()).sweeps!;
    await waitFor('two more sweeps', async () => (await health()).sweeps! >= sweepsBefore + 2, 60_000);
    const after = await health();
    expect(after).toMatchObject({ polls: 0, pollRequests: 0, missedDeliveries: 0, polling: 'standing-down' });
  }, 180_000);

  it('a delivery lost: the sweep brings the change (stamped long ago: no poll could have), and polling runs for a while', async () => {
    const employee = pick();
    const before = await health();
    world.api.scriptDeliveryFaults(TENANT, [{ kind: 'lose' }]);
    world.store.updateUser(employee.id, { jobTitle: 'Rattrapé par le balayage', modifiedAt: '2020-01-01T00:00:00.000' });
    await waitFor('Elevo shows the change', () => elevoUser(employee.id)?.jobTitle === 'Rattrapé par le balayage', 90_000);
    expect((await health()).missedDeliveries).toBeGreaterThanOrEqual(1);
    await waitFor('v3 polling resumed after the missed delivery', async () => (await health()).polls > before.polls, 60_000);
    await waitFor('and stands down again once deliveries are trusted', async () => (await health()).polling === 'standing-down', 90_000);
  }, 240_000);

  it('events without the employee id we read (assumption N3 false): the sweep counts them missed, polling carries the change', async () => {
    await waitFor('polling stands down', async () => (await health()).polling === 'standing-down', 90_000);
    const before = await health();
    world.api.tenant(TENANT).variant = { eventData: 'without-employee-id' };
    const employee = pick();
    world.store.updateUser(employee.id, { jobTitle: 'Sans identifiant' });
    await waitFor('Elevo shows the change', () => elevoUser(employee.id)?.jobTitle === 'Sans identifiant', 90_000);
    const after = await health();
    expect(after.missedDeliveries).toBeGreaterThan(before.missedDeliveries!);
    expect(after.polls).toBeGreaterThan(before.polls);
    world.api.tenant(TENANT).variant = {};
  }, 240_000);

  it('the newer API gone (no delivery, no sweep): v3 polling resumes and carries the change', async () => {
    // Standing down first (after the previous test's fallback), so the resumption below is this test's.
    await waitFor('polling stands down', async () => (await health()).polling === 'standing-down', 90_000);
    await world.stopApi();
    const before = await health();
    await waitFor('polling resumes', async () => (await health()).polls > before.polls, 120_000);
    expect((await health()).polling).toBe('fallback');
    const employee = pick();
    world.store.updateUser(employee.id, { jobTitle: 'Par le sondage v3' });
    await waitFor('Elevo shows the change', () => elevoUser(employee.id)?.jobTitle === 'Par le sondage v3', 120_000);
  }, 300_000);
});
