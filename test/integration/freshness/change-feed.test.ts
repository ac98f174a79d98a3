import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { parisDay } from '../../../dev/simulators/lucca/lucca-dates';
import { connectorHealthQuery, type ConnectorHealth } from '../../../src/shared/connector-health';
import { ELEVO_USER_SYNC, elevoSyncProgressQuery, type ElevoSyncResult } from '../../../src/connectors/elevo-user-sync/contract';
import { employeesChangedSignal, LUCCA_CHANGE_FEED, luccaChangeFeedWorkflowId } from '../../../src/shared/lucca-change-feed-contract';
import { shiftNaiveDateTime } from '../../../src/shared/naive-date-time';
import { startElevoSyncWorld, type ElevoSyncWorld } from '../../support/elevo-sync-world';
import { isExcludedFromElevo } from '../../support/excluded-from-elevo';
import { waitFor } from '../../support/wait-for';

const TENANT = 'acme';
const IDLE = 'idle';
const KEY = '0b6f3f7e-2a6c-4f7e-9d55-3c1e0f2a9b71';
const IDLE_KEY = '7d1e5c2a-8b3f-4e6d-a1c9-2f0e4b6d8a13';
const TODAY = parisDay(new Date());
const FRESHNESS = { pollSeconds: 1, overlapSeconds: 60, burstThreshold: 3 };

/**
 * The change feed on the dev server against the Lucca and Elevo simulators: a change made by HR
 * reaches Elevo through a targeted run of the ordinary sync; late commits inside the overlap are
 * caught; signals are validated and deduplicated; a burst becomes one full run; an idle poll costs
 * exactly one Lucca request. No wall-clock assertion: waits are bounded, outcomes asserted.
 */
describe('Lucca change feed (modifiedAt polling, signals)', () => {
  let world: ElevoSyncWorld;
  let client: Client;

  beforeAll(async () => {
    world = await startElevoSyncWorld([
      {
        id: TENANT,
        luccaApiKey: KEY,
        elevoToken: 'acme-elevo',
        employees: 40,
        seed: 23,
        today: TODAY,
        moreSections: () => ({ freshness: FRESHNESS }),
      },
      {
        id: IDLE,
        luccaApiKey: IDLE_KEY,
        elevoToken: 'idle-elevo',
        employees: 5,
        seed: 24,
        today: TODAY,
        moreSections: () => ({ freshness: FRESHNESS }),
      },
    ]);
    client = world.harness.env.client;
    // A first full sync: Elevo has everyone, as after any daily run.
    const full = await client.workflow.execute(ELEVO_USER_SYNC, {
      workflowId: `elevo-user-sync/${TENANT}/${TODAY}/baseline`,
      taskQueue: world.harness.taskQueue,
      args: [{ tenantId: TENANT }],
    });
    expect((full as ElevoSyncResult).status).toBe('completed');
    world.lucca.resetStats(IDLE);
    for (const tenantId of [TENANT, IDLE]) await startFeed(tenantId);
  }, 180_000);

  afterAll(async () => world?.stop());

  const startFeed = (tenantId: string) =>
    client.workflow.start(LUCCA_CHANGE_FEED, {
      workflowId: luccaChangeFeedWorkflowId(tenantId, 'elevo-user-sync'),
      taskQueue: world.harness.taskQueue,
      args: [{ tenantId, connector: 'elevo-user-sync' }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
  const feed = (tenantId = TENANT) => client.workflow.getHandle(luccaChangeFeedWorkflowId(tenantId, 'elevo-user-sync'));
  const health = (tenantId = TENANT): Promise<ConnectorHealth> => feed(tenantId).query(connectorHealthQuery);
  const elevoUser = (luccaId: number) => world.elevo.users(TENANT).find((u) => u.externalId === String(luccaId));
  const hrEdit = async (luccaId: number, edit: object) => {
    const res = await fetch(`${world.lucca.url}/_sandbox/${TENANT}/users/${luccaId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(edit),
    });
    expect(res.status).toBe(200);
  };
  /** Synced employees that stay untouched by the other tests: one per use. */
  const candidates = () =>
    [...world.store.users.values()].filter(
      (u) =>
        world.store.statusOf(u) === 'current' && u.dtContractEnd === null && !isExcludedFromElevo(world.store, u.id) && elevoUser(u.id),
    );
  let next = 0;
  const pick = () => candidates()[next++]!;
  const changeRuns = async () => {
    const ids: string[] = [];
    for await (const wf of client.workflow.list({ query: `WorkflowType = '${ELEVO_USER_SYNC}' AND LuccaTenantId = '${TENANT}'` }))
      if (wf.workflowId.includes('/changes/')) ids.push(wf.workflowId);
    return ids;
  };

  it('a change made in Lucca reaches Elevo through a targeted run of the ordinary sync', async () => {
    const employee = pick();
    await waitFor('the feed polls', async () => (await health()).polls >= 1);
    await hrEdit(employee.id, { set: { jobTitle: 'Directrice de la fraîcheur' } });
    await waitFor('Elevo shows the change', () => elevoUser(employee.id)?.jobTitle === 'Directrice de la fraîcheur', 60_000);
    const runs = await changeRuns();
    expect(runs.length).toBeGreaterThanOrEqual(1);
    const progress = await client.workflow.getHandle(runs[0]!).query(elevoSyncProgressQuery);
    expect(progress.plan).toMatchObject({ scope: 'employees', counts: { update: 1, create: 0, suspend: 0 } });
    await waitFor('health settles', async () => (await health()).state === 'healthy' && (await health()).pending === 0);
  }, 120_000);

  it('a write committed late, stamped before the cursor but inside the overlap, is still applied', async () => {
    const [late, anchor] = [pick(), pick()];
    await hrEdit(anchor.id, { set: { jobTitle: 'Ancre' } });
    await waitFor('the anchor change is applied', () => elevoUser(anchor.id)?.jobTitle === 'Ancre', 60_000);
    // Stamped 30 s before the newest change the feed has seen: a transaction that committed late.
    const stamp = shiftNaiveDateTime(world.store.getUser(anchor.id)!.modifiedAt, -30_000);
    world.store.updateUser(late.id, { jobTitle: 'Arrivée en retard', modifiedAt: stamp });
    await waitFor('the late write is applied', () => elevoUser(late.id)?.jobTitle === 'Arrivée en retard', 60_000);
  }, 120_000);

  it('signals are validated and deduplicated by event id; an event re-read from Lucca is applied once', async () => {
    const employee = pick();
    // Stamped long ago: only the signal (a webhook) can reveal this change, polling cannot.
    world.store.updateUser(employee.id, { jobTitle: 'Par webhook', modifiedAt: '2020-01-01T00:00:00.000' });
    const before = await health();
    const signal = { employeeIds: [employee.id], source: 'webhook' as const, eventIds: ['evt-1'], observedAt: new Date().toISOString() };
    await feed().signal(employeesChangedSignal, signal);
    await feed().signal(employeesChangedSignal, signal); // Lucca delivers at least once
    await feed().signal(employeesChangedSignal, { ...signal, employeeIds: [-4], eventIds: ['evt-2'] });
    await feed().signal(employeesChangedSignal, { nonsense: true } as never);
    await waitFor('Elevo shows the change', () => elevoUser(employee.id)?.jobTitle === 'Par webhook', 60_000);
    const after = await health();
    expect((after.signalsDuplicated ?? 0) - (before.signalsDuplicated ?? 0)).toBe(1);
    expect((after.signalsDropped ?? 0) - (before.signalsDropped ?? 0)).toBe(2);
  }, 120_000);

  it('a burst above the threshold becomes one full run', async () => {
    const burst = [pick(), pick(), pick(), pick(), pick()];
    const runsBefore = new Set(await changeRuns());
    for (const u of burst) world.store.updateUser(u.id, { jobTitle: `Vague ${u.id}` });
    await waitFor('the burst is applied', () => burst.every((u) => elevoUser(u.id)?.jobTitle === `Vague ${u.id}`), 90_000);
    const fresh = (await changeRuns()).filter((id) => !runsBefore.has(id));
    const plans = await Promise.all(fresh.map(async (id) => (await client.workflow.getHandle(id).query(elevoSyncProgressQuery)).plan));
    // One full run (no `scope`), whatever targeted run a poll between two edits may have started.
    expect(plans.filter((p) => p && p.scope === undefined)).toHaveLength(1);
  }, 150_000);

  it('an e_ change (exclusion ticked) arrives through the feed when Lucca moves modifiedAt for it', async () => {
    const employee = pick();
    await hrEdit(employee.id, { extendedData: { e_skip_elevo_sync: true } });
    // Released (policy `release`): no longer managed, so its attributes are unlocked.
    await waitFor('the employee is released in Elevo', () => elevoUser(employee.id)?.lockedAttributes.length === 0, 60_000);
  }, 120_000);

  it('when e_ changes do not move modifiedAt, polling misses them and the daily full run reconciles them', async () => {
    const employee = pick();
    world.store.extendedDataMovesModifiedAt = false;
    try {
      await hrEdit(employee.id, { extendedData: { e_skip_elevo_sync: true } });
      const polls = (await health()).polls;
      // Two more polls: the second one started after the edit. (Polls share the tenant's Lucca budget at
      // background priority, so with a 1-s interval in a busy test they come when the budget allows.)
      await waitFor('two more polls', async () => (await health()).polls >= polls + 2, 150_000);
      expect(elevoUser(employee.id)?.lockedAttributes.length).toBeGreaterThan(0); // not seen incrementally
      const daily = (await client.workflow.execute(ELEVO_USER_SYNC, {
        workflowId: `elevo-user-sync/${TENANT}/${TODAY}/reconciliation`,
        taskQueue: world.harness.taskQueue,
        args: [{ tenantId: TENANT }],
      })) as ElevoSyncResult;
      expect(daily.planned.release).toBe(1);
      // The daily run says what the incremental path missed: this release, nothing else.
      const plan = (await client.workflow.getHandle(`elevo-user-sync/${TENANT}/${TODAY}/reconciliation`).query(elevoSyncProgressQuery))
        .plan;
      expect(plan?.missedByIncremental).toBe(1);
      expect(elevoUser(employee.id)?.lockedAttributes).toEqual([]);
    } finally {
      world.store.extendedDataMovesModifiedAt = true;
    }
  }, 240_000);

  it('an idle tenant costs exactly one Lucca request per poll', async () => {
    await waitFor('the idle feed polls a few times', async () => (await health(IDLE)).polls >= 3, 60_000);
    // Stop polling, then compare what Lucca received with what the feed did.
    await feed(IDLE).terminate('test: quiescence');
    const history = await feed(IDLE).fetchHistory();
    const events = history.events ?? [];
    const luccaTypes = new Set(['startChangeCursor', 'pollLuccaChanges']);
    const scheduled = new Map(
      events.flatMap((e) =>
        e.activityTaskScheduledEventAttributes && luccaTypes.has(e.activityTaskScheduledEventAttributes.activityType?.name ?? '')
          ? [[Number(e.eventId), true] as const]
          : [],
      ),
    );
    const completed = events.filter((e) => scheduled.has(Number(e.activityTaskCompletedEventAttributes?.scheduledEventId ?? -1))).length;
    expect(completed).toBeGreaterThanOrEqual(4); // the starting cursor and three polls at least
    await waitFor("the completed activities' requests are counted", () => world.lucca.stats(IDLE).requests >= completed);
    // One request per completed poll; at most one more from a poll cut short by the termination.
    const requests = world.lucca.stats(IDLE).requests;
    expect(requests).toBeGreaterThanOrEqual(completed);
    expect(requests).toBeLessThanOrEqual(scheduled.size);
    expect(Object.keys(world.lucca.stats(IDLE).byRoute)).toEqual(['GET /api/v3/users']);
    const idleRuns: string[] = [];
    for await (const wf of client.workflow.list({ query: `WorkflowType = '${ELEVO_USER_SYNC}' AND LuccaTenantId = '${IDLE}'` }))
      idleRuns.push(wf.workflowId);
    expect(idleRuns).toEqual([]);
  }, 120_000);
});
