import { LuccaEventsOrderError, sweepLuccaEventsWith } from '../../../src/integrations/lucca-api/lucca-events-sweep';
import { employeeIds, startLuccaApiWorld, TENANT, type LuccaApiWorld } from './lucca-api-test-kit';

/**
 * The newer Lucca API where one of our assumptions is false (docs/external-apis.md, "Lucca API"),
 * over real sockets: the events-feed sweep must not silently lose changes.
 */
describe('newer Lucca API variants: what the sweep does when an assumption is false', () => {
  let world: LuccaApiWorld;

  beforeEach(async () => {
    world = await startLuccaApiWorld();
  });
  afterEach(async () => world.stop());

  it('N3 false — events without the employee id we read: reported as unreadable (the feed then polls), never dropped silently', async () => {
    const { cursor } = await sweepLuccaEventsWith(world.client(), null);
    world.api.tenant(TENANT).variant = { eventData: 'without-employee-id' };
    const [a] = employeeIds(world);
    world.store.updateUser(a!, { jobTitle: 'Sans identifiant' });
    const sweep = await sweepLuccaEventsWith(world.client(), cursor);
    expect(sweep.employeeIds).toEqual([]);
    expect(sweep.unreadable).toEqual(sweep.eventIds);
    expect(sweep.unreadable).toHaveLength(1);
  });

  it('N5 false — a feed newest first: the sweep fails loudly (typed, permanent) instead of keeping a wrong place', async () => {
    const { cursor } = await sweepLuccaEventsWith(world.client(), null);
    world.api.tenant(TENANT).variant = { feedOrder: 'newest-first' };
    const [a, b] = employeeIds(world);
    world.store.updateUser(a!, { jobTitle: 'Premier' });
    await new Promise((r) => setTimeout(r, 5)); // distinct occurredAt
    world.store.updateUser(b!, { jobTitle: 'Second' });
    await expect(sweepLuccaEventsWith(world.client(), cursor)).rejects.toBeInstanceOf(LuccaEventsOrderError);
  });

  it('the documented order and data: both changes found, nothing unreadable', async () => {
    const { cursor } = await sweepLuccaEventsWith(world.client(), null);
    const [a, b] = employeeIds(world);
    world.store.updateUser(a!, { jobTitle: 'Premier' });
    await new Promise((r) => setTimeout(r, 5));
    world.store.updateUser(b!, { jobTitle: 'Second' });
    const sweep = await sweepLuccaEventsWith(world.client(), cursor);
    expect(sweep.employeeIds).toEqual([a, b].sort((x, y) => x! - y!));
    expect(sweep.unreadable).toEqual([]);
  });
});
