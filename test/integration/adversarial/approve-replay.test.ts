import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import {
  approveElevoSyncUpdate,
  elevoSyncProgressQuery,
  rejectElevoSyncUpdate,
  type ElevoSyncResult,
  ELEVO_USER_SYNC,
} from '../../../src/connectors/elevo-user-sync/contract';
import { startElevoSyncWorld, type ElevoSyncWorld } from '../../support/elevo-sync-world';
import { waitUntilHeld } from '../../support/wait-until-held';
import { isExcludedFromElevo } from '../../support/excluded-from-elevo';
import { signedFor } from '../../support/test-operator';

/**
 * An attacker with Temporal API access and no key replays a sealed `approve` (docs/threat-model.md):
 * - from one held run into another held run of the tenant (another workflow id): refused by the
 *   payload's workflow binding;
 * - from a finished run into a later run under the same workflow id (binding matches): refused by
 *   the operator proof, signed for the first run only;
 * - an approval signed more than 5 minutes ago, or signed for `reject`: the freshness window and
 *   the command in the proof.
 */
const TENANT = 'acme';

describe('approvals cannot be replayed across held runs', () => {
  let world: ElevoSyncWorld;
  let runs = 0;

  beforeAll(async () => {
    world = await startElevoSyncWorld([
      {
        id: TENANT,
        luccaApiKey: randomUUID(),
        elevoToken: `elevo-${randomUUID()}`,
        employees: 40,
        seed: 77,
        elevo: { safety: { maxSuspendCount: 1 } },
      },
    ]);
    expect(((await (await start()).result()) as ElevoSyncResult).status).toBe('completed');
  });
  afterAll(async () => world?.stop());

  const start = (workflowId = `elevo-user-sync/${TENANT}/2026-11-20/adv${++runs}`) =>
    world.harness.env.client.workflow.start(ELEVO_USER_SYNC, {
      taskQueue: world.harness.taskQueue,
      workflowId,
      args: [{ tenantId: TENANT, runDate: '2026-11-20' }],
    });

  /** 3 more employees gone from Lucca: the run would suspend more than 1 and holds. */
  async function heldRun(workflowId?: string): Promise<WorkflowHandle> {
    const current = [...world.store.users.values()].filter(
      (u) => world.store.statusOf(u) === 'current' && !isExcludedFromElevo(world.store, u.id),
    );
    for (const u of current.filter((c) => !current.some((r) => r.managerId === c.id)).slice(0, 3)) world.store.deleteUser(u.id);
    const handle = await start(workflowId);
    await waitUntilHeld(handle, 30_000);
    return handle;
  }

  async function acceptedInput(handle: WorkflowHandle): Promise<Payload[]> {
    const events = (await handle.fetchHistory()).events ?? [];
    return events.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes)!.workflowExecutionUpdateAcceptedEventAttributes!
      .acceptedRequest!.input!.args!.payloads!;
  }

  async function rawUpdate(workflowId: string, name: string, payloads: Payload[]): Promise<string> {
    const { outcome } = await world.harness.env.client.workflowService.updateWorkflowExecution({
      namespace: world.harness.env.client.options.namespace,
      workflowExecution: { workflowId },
      request: { meta: { updateId: randomUUID(), identity: 'attacker-no-keys' }, input: { name, args: { payloads } } },
      waitPolicy: {
        lifecycleStage: temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED,
      },
    });
    const attributes = outcome?.failure?.encodedAttributes;
    if (!outcome?.failure) return 'accepted';
    if (!attributes) return outcome.failure.message ?? '';
    const [plain] = await world.harness.codec.decode([attributes]);
    return String(defaultPayloadConverter.fromPayload<{ message?: string }>(plain!).message);
  }

  it('refuses run 1’s sealed approve in another held run of the tenant', async () => {
    const first = await heldRun();
    await first.executeUpdate(approveElevoSyncUpdate, { args: [await signedFor(first, 'approve', { by: 'ops', client: 'test' })] });
    await first.result();
    const sealedApprove = await acceptedInput(first);

    const second = await heldRun();
    expect(await rawUpdate(second.workflowId, 'approve', sealedApprove)).toMatch(/sealed for another workflow/);
    expect((await second.query(elevoSyncProgressQuery)).status).toBe('held');
    await second.executeUpdate(rejectElevoSyncUpdate, { args: [await signedFor(second, 'reject', { by: 'ops', client: 'test' })] });
    expect(((await second.result()) as ElevoSyncResult).status).toBe('rejected');
  });

  it('refuses a finished run’s approve in a later run under the same workflow id (the proof names the run)', async () => {
    const id = `elevo-user-sync/${TENANT}/2026-11-20/same-id`;
    const earlier = await heldRun(id);
    await earlier.executeUpdate(approveElevoSyncUpdate, { args: [await signedFor(earlier, 'approve', { by: 'ops', client: 'test' })] });
    await earlier.result();
    const sealedApprove = await acceptedInput(world.harness.env.client.workflow.getHandle(id, (await earlier.describe()).runId));

    const later = await heldRun(id);
    expect(await rawUpdate(id, 'approve', sealedApprove)).toMatch(/signed for another run/);
    expect((await later.query(elevoSyncProgressQuery)).status).toBe('held');
    // Ends the held run (it holds the tenant's sync lock).
    await later.executeUpdate(rejectElevoSyncUpdate, { args: [await signedFor(later, 'reject', { by: 'ops', client: 'test' })] });
    await later.result();
  });

  it('accepts a signed approval only fresh and for the command it was signed for', async () => {
    const held = await heldRun();
    const stale = await signedFor(held, 'approve', { by: 'ops', client: 'test' }).then((c) => ({
      ...c,
      $operatorProof: { ...c.$operatorProof },
    }));
    // Signed 10 minutes ago (the signature covers the time, so it cannot be refreshed without the key).
    const { signOperatorCommand } = await import('../../../src/codec/operator-keys');
    const { TEST_OPERATOR } = await import('../../support/test-operator');
    const old = signOperatorCommand(
      { by: 'ops', client: 'test' },
      { command: 'approve', workflowId: held.workflowId, runId: stale.$operatorProof.runId },
      TEST_OPERATOR.privateKeyPem,
      new Date(Date.now() - 10 * 60_000),
    );
    await expect(held.executeUpdate(approveElevoSyncUpdate, { args: [old] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/not fresh/) },
    });
    // A proof signed for reject does not approve.
    const reject = await signedFor(held, 'reject', { by: 'ops', client: 'test' });
    await expect(held.executeUpdate(approveElevoSyncUpdate, { args: [reject] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/signed for "reject"/) },
    });
    expect((await held.query(elevoSyncProgressQuery)).status).toBe('held');
    await held.executeUpdate(approveElevoSyncUpdate, { args: [stale] });
    expect(((await held.result()) as ElevoSyncResult).status).toBe('completed');
  });
});
