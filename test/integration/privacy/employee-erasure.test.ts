import { WorkflowNotFoundError } from '@temporalio/client';
import { eraseEmployee, renderErasure } from '../../../src/client/erase-employee';
import type { RunReport } from '../../../src/connectors/elevo-user-sync/domain/run-report';
import {
  orderInputFor,
  startOrder,
  startScreeningWorld,
  usersInState,
  type ScreeningWorld,
} from '../aequivalent-screening/screening-test-kit';
import { waitFor } from '../../support/wait-for';

/**
 * `lucca-connectors erase`: one employee's report lines and planned actions leave the store (results
 * stay aligned with the remaining actions), their screening workflows are deleted from a real
 * Temporal server, and nobody else's data is touched.
 */
describe('erasing one employee', () => {
  let world: ScreeningWorld;
  const T = 'erasure';

  beforeAll(async () => {
    world = await startScreeningWorld([{ id: T }, { id: 'bystander' }]);
  });
  afterAll(async () => {
    await world?.stop();
  });

  const line = (luccaId: number, name: string): RunReport['lines'][number] => ({
    action: 'update',
    luccaId,
    elevoId: `e-${luccaId}`,
    name,
    reason: 'changed',
    outcome: 'applied',
  });
  const report = (tenantId: string, ids: number[]): RunReport => ({
    tenantId,
    runKey: `elevo-user-sync/${tenantId}/wf/run-1`,
    runDate: '2026-03-01',
    status: 'completed',
    generatedAt: '2026-03-01T06:00:00Z',
    planned: { update: ids.length },
    applied: ids.length,
    failed: 0,
    holdReasons: [],
    lines: ids.map((id) => line(id, `Employee ${id}`)),
  });
  const batch = (ids: number[]) => ({
    actions: ids.map((luccaId) => ({
      action: { kind: 'update', luccaId, elevoId: `e-${luccaId}`, reason: 'changed', changes: [] },
      name: `Employee ${luccaId}`,
    })),
  });

  it('rewrites reports and plans without them, deletes their screening workflows, and prints what it removed', async () => {
    const [target] = usersInState(world, T, 'complete-to-order');
    const [other] = usersInState(world, T, 'incomplete-to-order');
    const [bystanderId] = usersInState(world, 'bystander', 'complete-to-order');
    expect(target).toBeDefined();
    expect(other).toBeDefined();
    const store = world.harness.artifacts;
    const run = `elevo-user-sync/${T}/wf/run-1`;
    await store.putJson(`${run}/report`, report(T, [other!, target!]));
    await store.putJson(`${run}/batches/000000`, batch([target!, other!]));
    await store.putJson(`${run}/results/000000`, {
      outcomes: [
        { ok: true, elevoId: 'target' },
        { ok: false, error: 'other' },
      ],
      elevoRequests: 2,
    });
    await store.putJson(`${run}/skips`, batch([target!]));
    await store.putJson(`elevo-user-sync/${T}/last-success`, { sourceCount: 20 });
    await store.putJson(`elevo-user-sync/bystander/wf/run-1/report`, report('bystander', [target!]));

    const orders = [orderInputFor(world, T, target!), orderInputFor(world, T, other!), orderInputFor(world, 'bystander', bystanderId!)];
    for (const order of orders) await startOrder(world, order);
    const client = world.harness.env.client;
    const tagged = `LuccaTenantId = '${T}' AND LuccaEmployeeId = '${target}'`;
    await waitFor('the order to be visible', async () => {
      for await (const _wf of client.workflow.list({ query: tagged })) return true;
      return undefined;
    });

    const erased = await eraseEmployee({ client, namespace: world.harness.env.namespace ?? 'default', artifacts: store }, T, target!);

    expect(erased).toEqual({
      candidateSnapshotsRemoved: 0,
      reportsRewritten: 1,
      reportLinesRemoved: 1,
      planArtifactsRewritten: 2,
      plannedActionsRemoved: 2,
      deletedWorkflows: [orders[0]!.workflowId],
    });
    expect(renderErasure(T, target!, erased)).toContain(`Workflows deleted:            1\n    ${orders[0]!.workflowId}`);
    expect((await store.requireJson<RunReport>(`${run}/report`)).lines.map((l) => l.luccaId)).toEqual([other]);
    expect((await store.requireJson<ReturnType<typeof batch>>(`${run}/batches/000000`)).actions.map((a) => a.action.luccaId)).toEqual([
      other,
    ]);
    // The result stays aligned with the remaining action: the other employee's outcome, not the erased one's.
    expect(await store.requireJson(`${run}/results/000000`)).toEqual({ outcomes: [{ ok: false, error: 'other' }], elevoRequests: 2 });
    expect((await store.requireJson<ReturnType<typeof batch>>(`${run}/skips`)).actions).toEqual([]);
    // Other tenants (even an employee with the same id there) and counts are untouched.
    expect((await store.requireJson<RunReport>(`elevo-user-sync/bystander/wf/run-1/report`)).lines).toHaveLength(1);
    await expect(store.requireJson(`elevo-user-sync/${T}/last-success`)).resolves.toEqual({ sourceCount: 20 });

    await waitFor('the erased order to be gone', async () => {
      try {
        await client.workflow.getHandle(orders[0]!.workflowId).describe();
        return undefined;
      } catch (err) {
        return err instanceof WorkflowNotFoundError ? true : undefined;
      }
    });
    for (const kept of orders.slice(1)) await expect(client.workflow.getHandle(kept.workflowId).describe()).resolves.toBeDefined();
  });
});
