import { WorkflowFailedError, WorkflowIdReusePolicy } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { applySchedules, scheduleIdOf } from '../../../src/client/schedules';
import { approveElevoSyncUpdate, rejectElevoSyncUpdate, type ElevoSyncResult } from '../../../src/connectors/elevo-user-sync/contract';
import { startElevoSyncWorld, type ElevoSyncWorld } from '../../support/elevo-sync-world';
import { waitUntilHeld } from '../../support/wait-until-held';
import { isExcludedFromElevo } from '../../support/excluded-from-elevo';
import { signedFor } from '../../support/test-operator';

const T = 'solo';
const LUCCA_KEY = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
const TODAY = '2026-11-20';

/** Elevo sync: an approval applies the current picture, and one sync per tenant at any moment. */
describe('Elevo sync on a current picture, one at a time (real Temporal dev server + simulators)', () => {
  let world: ElevoSyncWorld;
  let n = 0;
  jest.setTimeout(240_000);

  beforeAll(async () => {
    world = await startElevoSyncWorld([
      {
        id: T,
        luccaApiKey: LUCCA_KEY,
        elevoToken: 'tok-solo',
        employees: 150,
        seed: 7,
        today: TODAY,
        elevo: { safety: { maxSuspendCount: 5, maxSuspendPercent: 50, maxPopulationDropPercent: 90 } },
      },
    ]);
    expect(((await (await start()).result()) as ElevoSyncResult).status).toBe('completed');
  });
  afterAll(async () => world?.stop());

  const client = () => world.harness.env.client;
  const start = (workflowId = `elevo-user-sync/${T}/${TODAY}/t${++n}`) =>
    client().workflow.start('elevoUserSync', {
      workflowId,
      taskQueue: world.harness.taskQueue,
      args: [{ tenantId: T, runDate: TODAY }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  const leaves = (count: number) => {
    const users = [...world.store.users.values()];
    const victims = users
      .filter(
        (u) => world.store.statusOf(u) === 'current' && !users.some((r) => r.managerId === u.id) && !isExcludedFromElevo(world.store, u.id),
      )
      .slice(0, count);
    for (const v of victims) world.store.deleteUser(v.id);
    return victims.map((v) => v.id);
  };
  async function heldRun() {
    const handle = await start();
    await waitUntilHeld(handle);
    return handle;
  }
  const failureOf = async (promise: Promise<unknown>): Promise<ApplicationFailure> => {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    return (err as WorkflowFailedError).cause as ApplicationFailure;
  };

  it('an approval re-plans on current data: refused when it would now suspend someone nobody approved', async () => {
    leaves(6);
    const held = await heldRun();
    world.elevo.resetStats(T);
    leaves(1); // Lucca changed while the run waited
    await held.executeUpdate(approveElevoSyncUpdate, {
      args: [await signedFor(held, 'approve', { by: 'ops@example.com', client: 'test' })],
    });
    const result = (await held.result()) as ElevoSyncResult;
    expect(result.status).toBe('approval-outdated');
    expect(result.planned.suspend).toBe(7);
    expect(world.elevo.writeCount(T)).toBe(0);
    const metadata = await held.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toContain('would suspend 1 user(s) nobody approved');
  });

  it('an approval whose fresh plan suspends no one new applies the current picture (a later rename included)', async () => {
    const held = await heldRun(); // the 7 leavers of the previous test
    const renamed = [...world.store.users.values()].find((u) => world.store.statusOf(u) === 'current')!;
    world.store.updateUser(renamed.id, { jobTitle: 'Responsable conformité' });
    await held.executeUpdate(approveElevoSyncUpdate, {
      args: [await signedFor(held, 'approve', { by: 'ops@example.com', client: 'test' })],
    });
    const result = (await held.result()) as ElevoSyncResult;
    expect(result.status).toBe('completed');
    expect(result.planned.suspend).toBe(7);
    expect(world.elevo.users(T).find((u) => u.externalId === String(renamed.id))!.jobTitle).toBe('Responsable conformité');
  });

  it('at most one sync per tenant: a manual run and a scheduled run are refused while one runs, with the holder named', async () => {
    leaves(6);
    const held = await heldRun();
    const second = await start(`elevo-user-sync/${T}/${TODAY}/manual-second`);
    const failure = await failureOf(second.result());
    expect(failure.type).toBe('ElevoSyncAlreadyRunning');
    expect(failure.message).toContain(`another Elevo sync of tenant "${T}" is running (${held.workflowId})`);

    await applySchedules(client(), world.harness.tenants.loaded.config, world.harness.taskQueue);
    await client().schedule.getHandle(scheduleIdOf('elevo-user-sync', T)).trigger();
    const scheduled = await waitForRun(`WorkflowId STARTS_WITH 'elevo-user-sync/${T}-' AND ExecutionStatus = 'Failed'`);
    expect((await failureOf(client().workflow.getHandle(scheduled).result())).type).toBe('ElevoSyncAlreadyRunning');

    // Released when the holder ends: the next run goes through.
    await held.executeUpdate(rejectElevoSyncUpdate, { args: [await signedFor(held, 'reject', { by: 'ops@example.com', client: 'test' })] });
    await held.result();
    const next = await heldRun();
    await next.executeUpdate(rejectElevoSyncUpdate, { args: [await signedFor(next, 'reject', { by: 'ops@example.com', client: 'test' })] });
    expect(((await next.result()) as ElevoSyncResult).status).toBe('rejected');
    await client().schedule.getHandle(scheduleIdOf('elevo-user-sync', T)).delete();
  });

  it('a terminated holder releases the lock (parent-close policy)', async () => {
    const held = await heldRun();
    await held.terminate('operator');
    const next = await heldRun();
    await next.executeUpdate(rejectElevoSyncUpdate, { args: [await signedFor(next, 'reject', { by: 'ops@example.com', client: 'test' })] });
    expect(((await next.result()) as ElevoSyncResult).status).toBe('rejected');
  });

  async function waitForRun(query: string): Promise<string> {
    for (let i = 0; i < 600; i++) {
      for await (const run of client().workflow.list({ query })) return run.workflowId;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`no run matches ${query}`);
  }
});
