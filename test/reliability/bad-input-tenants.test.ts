import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { applyLuccaPermissionFault } from '../../dev/simulators/lucca';
import { type ElevoSyncResult, ELEVO_USER_SYNC } from '../../src/connectors/elevo-user-sync/contract';
import { loadFixtures, type TenantFixture } from './support/bad-input-fixtures';
import { RELIABILITY_TODAY, startReliabilityWorld, type ReliabilityWorld } from './support/reliability-world';
import { startInProcessRuntime, type ScenarioRuntime } from './support/scenario-runtime';
import { waitUntilHeld } from '../support/wait-until-held';

/**
 * Whole-tenant bad input (test/fixtures/bad-input/tenant-*.json): revoked credentials fail the run
 * at once with a non-retryable, data-free error; a population that shrinks or vanishes never turns
 * into a mass suspension.
 */
describe('bad input: tenants whose credentials or population go wrong', () => {
  const fixtures = loadFixtures('tenant');
  let world: ReliabilityWorld;
  let runtime: ScenarioRuntime;
  const tenantOf = (f: TenantFixture) => `t-${f.id}`;

  beforeAll(async () => {
    world = await startReliabilityWorld(
      fixtures.map((f, i) => ({ id: tenantOf(f), seed: 40 + i, employees: 40, elevo: { batchSize: 50 } })),
    );
    runtime = await startInProcessRuntime(world);
  });
  afterAll(async () => {
    await runtime?.stop();
    await world?.stop();
  });

  const start = (tenantId: string, n: number) =>
    runtime.client().workflow.start(ELEVO_USER_SYNC, {
      workflowId: `elevo-user-sync/${tenantId}/${RELIABILITY_TODAY}/bad-tenant-${n}`,
      taskQueue: runtime.taskQueue,
      args: [{ tenantId, runDate: RELIABILITY_TODAY }],
    });

  function applyChange(f: TenantFixture, tenantId: string): void {
    const store = world.store(tenantId);
    const key = world.luccaKeys.get(tenantId)!;
    switch (f.change) {
      case 'revoke-lucca-key':
        store.apiKeys.delete(key.toLowerCase());
        return;
      case 'revoke-elevo-token':
        world.elevo.addTenant(tenantId, 'a-brand-new-token-the-worker-does-not-know');
        return;
      case 'lose-former-permission':
        return applyLuccaPermissionFault(store, key, { kind: 'no-former-employees' });
      case 'lose-future-permission':
        return applyLuccaPermissionFault(store, key, { kind: 'no-future-employees' });
      case 'delete-everyone':
      case 'empty-from-start':
        for (const id of [...store.users.keys()]) store.deleteUser(id);
        return;
    }
  }

  it.each(fixtures.map((f) => [f.id, f] as const))('%s', async (_id, f) => {
    const tenantId = tenantOf(f);
    if (f.change !== 'empty-from-start')
      expect(await (await start(tenantId, 1)).result()).toMatchObject({ status: 'completed', failed: 0 });
    const usersBefore = world.elevo.users(tenantId);
    applyChange(f, tenantId);
    world.elevo.resetStats(tenantId);
    const handle = await start(tenantId, 2);

    if (f.expect.failureType) {
      const error = await handle.result().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(WorkflowFailedError);
      const activity = (error as WorkflowFailedError).cause;
      expect(activity).toBeInstanceOf(ActivityFailure);
      const failure = (activity as ActivityFailure).cause as ApplicationFailure;
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure.type).toBe(f.expect.failureType);
      expect(failure.nonRetryable).toBe(f.expect.nonRetryable);
      expect(failure.message).toContain(f.expect.messageContains!);
      expect(failure.message).toContain(`tenant "${tenantId}"`);
      expect(failure.message).not.toContain(world.luccaKeys.get(tenantId)!);
      // Failed at the first attempt: no retry loop against a dead key.
      const history = await handle.fetchHistory();
      const attempts = (history.events ?? []).map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0);
      expect(Math.max(...attempts)).toBe(f.expect.attempts);
    }
    if (f.expect.status === 'held') {
      const progress = await waitUntilHeld(handle, 20_000);
      expect(progress.status).toBe('held');
      expect(progress.holdReasons.map((r) => r.code).sort()).toEqual([...(f.expect.holdReasons ?? [])].sort());
      await handle.terminate('test over');
    }
    if (f.expect.status === 'completed') {
      const result = (await handle.result()) as ElevoSyncResult;
      expect(result.status).toBe('completed');
      expect(result.planned.suspend).toBe(f.expect.suspend);
    }
    if (f.expect.writes !== undefined) expect(world.elevo.writeCount(tenantId)).toBe(f.expect.writes);
    if (f.expect.suspend !== undefined || f.expect.status === 'held') {
      const suspendedNow = world.elevo.users(tenantId).filter((u) => u.status === 'suspended').length;
      expect(suspendedNow).toBe(usersBefore.filter((u) => u.status === 'suspended').length);
    }
  });
});
