import { execFileSync } from 'node:child_process';
import { WorkflowNotFoundError } from '@temporalio/client';
import { SCREENING_INTAKE, type ScreeningIntakeResult } from '../../../src/connectors/aequivalent-screening/contract';
import { temporalCliPath } from '../../../src/temporal/temporal-cli-path';
import {
  orderInputFor,
  orderState,
  startOrder,
  startScreeningWorld,
  statusLabel,
  TO_ORDER,
  usersInState,
  type ScreeningWorld,
} from '../aequivalent-screening/screening-test-kit';
import { waitFor } from '../../support/wait-for';
import { aequivalentClientOf } from '../../../src/connectors/aequivalent-screening/aequivalent/client-for-tenant';

/**
 * "Never order twice" must not depend on the order's workflow history: retention (or an operator)
 * deletes it, and Aequivalent forgets idempotency keys after 30 days (here: at once).
 */
describe('never twice, whatever the retention (real Temporal dev server + simulators)', () => {
  const T = 'retention';
  let world: ScreeningWorld;

  beforeAll(async () => {
    world = await startScreeningWorld([{ id: T }], { aequivalent: { idempotencyKeyRetentionMs: 0 } });
  });
  afterAll(async () => {
    await world?.stop();
  });

  jest.setTimeout(240_000);

  it('a deleted order whose dossier exists is refused by the intake, with the reason and the dossier', async () => {
    const client = world.harness.env.client;
    const luccaId = usersInState(world, T, 'complete-to-order')[0]!;
    const order = orderInputFor(world, T, luccaId);
    // Lucca accepts the reads of the order (the definitions collection + the employee), then refuses everything:
    // the dossier is created but "Dossier crée par Aequivalent" is never written back.
    world.lucca.setFaults(T, {
      script: Array.from({ length: 2 }, () => ({ kind: 'latency' as const, ms: 0 })),
      errorRate: 1,
      errorStatuses: [503],
    });
    const handle = await startOrder(world, order);
    const blocked = await waitFor(
      'write-back blocked',
      async () => {
        const state = await orderState(world, order.workflowId);
        return state.dossierId && state.stage === 'writing-back' ? state : undefined;
      },
      60_000,
    );

    // The order ends badly, then its history disappears, while Lucca still asks for an order.
    await handle.terminate('operator gave up');
    execFileSync(temporalCliPath(), [
      'workflow',
      'delete',
      '--workflow-id',
      order.workflowId,
      '--address',
      world.harness.env.address,
      '--namespace',
      world.harness.env.namespace ?? 'default',
    ]);
    await waitFor(
      'history deleted',
      async () => {
        try {
          await handle.describe();
          return undefined;
        } catch (err) {
          if (err instanceof WorkflowNotFoundError || (err as { code?: number }).code === 5) return true;
          throw err;
        }
      },
      120_000,
    ); // the server deletes asynchronously (≈ 30 s on the dev server)
    world.lucca.setFaults(T, { reset: true });
    expect(statusLabel(world, T, luccaId)).toBe(TO_ORDER);

    // Control: Aequivalent no longer protects us with the idempotency key.
    const twin = world.aequivalent.dossiers(T)[0]!;
    expect(twin.externalReference).toBe(order.workflowId);

    const result = (await client.workflow.execute(SCREENING_INTAKE, {
      taskQueue: world.harness.taskQueue,
      workflowId: `screening-intake/${T}/after-retention`,
      args: [{ tenantId: T }],
    })) as ScreeningIntakeResult;
    expect(result.refused).toContainEqual({
      workflowId: order.workflowId,
      reason: 'dossier-exists-at-aequivalent',
      dossierId: blocked.dossierId,
    });
    expect(result.started).not.toContain(order.workflowId);
    expect(result.restarted).not.toContain(order.workflowId);
    expect(world.aequivalent.dossiers(T).filter((d) => d.externalReference === order.workflowId)).toHaveLength(1);
    // The other "to order" employees without any dossier are still ordered normally.
    expect(result.started.length).toBeGreaterThan(0);
  });

  it('the simulator forgets idempotency keys past the retention (what the lookup protects against)', async () => {
    const aequivalent = aequivalentClientOf(world.harness.tenants, T);
    const body = requestOf(world.aequivalent.dossiers(T)[0]!);
    const first = await aequivalent.createDossier(body, 'retention-control-key');
    const second = await aequivalent.createDossier(body, 'retention-control-key');
    expect(first.created).toBe(true);
    expect(second.created).toBe(true);
    expect(second.dossier.id).not.toBe(first.dossier.id);
  });
});

/** The request part of a stored dossier (what was POSTed). */
function requestOf(d: ReturnType<ScreeningWorld['aequivalent']['dossiers']>[number]) {
  return {
    externalReference: `${d.externalReference}:control`,
    package: d.package,
    reasonCategory: d.reasonCategory,
    reason: d.reason,
    costCenter: d.costCenter,
    candidate: d.candidate,
    clientUser: d.clientUser,
  };
}
