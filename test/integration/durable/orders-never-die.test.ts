import { cancelOrderUpdate, type ScreeningOrderResult } from '../../../src/connectors/aequivalent-screening/contract';
import { RUN_STATE } from '../../../src/shared/search-attributes';
import {
  orderInputFor,
  orderState,
  placeFollowedOrder,
  type ScreeningWorld,
  startOrder,
  startScreeningWorld,
  usersInState,
} from '../aequivalent-screening/screening-test-kit';
import { waitFor } from '../../support/wait-for';
import { signedFor } from '../../support/test-operator';

/**
 * A placed order never fails because of its follow-up: Aequivalent down, a 404, a cancel that cannot
 * get through. Compressed clock: the order's durations all come from the config (poll every 3 s
 * here instead of hours), so an outage spanning 8 poll cycles stands for 2 days at the default
 * 360-minute interval (24 h = 4 cycles); the activity retries inside one cycle are the production ones.
 */
describe('screening orders never die from a follow-up failure (real Temporal dev server + simulators)', () => {
  let world: ScreeningWorld;
  jest.setTimeout(300_000);

  beforeAll(async () => {
    world = await startScreeningWorld([
      { id: 'outage', noWebhooks: true },
      { id: 'cancel', noWebhooks: true },
      { id: 'deadline', noWebhooks: true, aequivalent: { followUpDeadlineDays: 0.0002 } }, // ≈ 17 s
      { id: 'blocked', aequivalent: { writeBackAlertHours: 0.001 } }, // 3.6 s
    ]);
  });
  afterAll(async () => {
    await world?.stop();
  });
  afterEach(() => {
    world.aequivalent.setFaults({ reset: true });
  });

  const client = () => world.harness.env.client;
  const resultOf = (workflowId: string) => client().workflow.getHandle(workflowId).result() as Promise<ScreeningOrderResult>;

  it('an Aequivalent outage over many polls, and a 404, end with the dossier in its true final state', async () => {
    const { order, dossierId } = await placeFollowedOrder(world, 'outage');
    world.aequivalent.setFaults({ script: [{ kind: 'error', status: 404 }], errorRate: 1, errorStatuses: [503] });
    // The dossier moves on at Aequivalent while nobody can read it.
    for (const step of ['candidate_invited', 'consent_given', 'in_progress'] as const) world.aequivalent.advance('outage', dossierId, step);
    world.aequivalent.advance('outage', dossierId, 'report_available', 'attention_points');
    const during = await waitFor(
      '8 failed follow-up cycles',
      async () => {
        const state = await orderState(world, order.workflowId);
        return state.followUpFailures >= 8 ? state : undefined;
      },
      240_000,
    );
    expect(during.stage).toBe('following');
    expect((await client().workflow.getHandle(order.workflowId).describe()).status.name).toBe('RUNNING');

    world.aequivalent.setFaults({ reset: true });
    const result = await resultOf(order.workflowId);
    expect(result.outcome).toBe('attention_points');
    const after = await orderState(world, order.workflowId);
    expect(after.history.map((h) => h.status)).toEqual([
      'created',
      'candidate_invited',
      'consent_given',
      'in_progress',
      'report_available',
    ]);
  });

  it('a cancellation during an outage is retried at the next polls and ends cancelled', async () => {
    const { order, dossierId } = await placeFollowedOrder(world, 'cancel');
    world.aequivalent.setFaults({ errorRate: 1, errorStatuses: [503] });
    const orderHandle = client().workflow.getHandle(order.workflowId);
    await orderHandle.executeUpdate(cancelOrderUpdate, {
      args: [await signedFor(orderHandle, 'cancelOrder', { by: 'ops@acme.fr', client: 'test', reason: 'position withdrawn' })],
    });
    await waitFor(
      '2 failed follow-up calls',
      async () => ((await orderState(world, order.workflowId)).followUpFailures >= 2 ? true : undefined),
      120_000,
    );
    expect(world.aequivalent.dossiers('cancel').find((d) => d.id === dossierId)!.status).toBe('created');

    world.aequivalent.setFaults({ reset: true });
    expect((await resultOf(order.workflowId)).outcome).toBe('cancelled');
    expect(world.aequivalent.dossiers('cancel').find((d) => d.id === dossierId)!.status).toBe('cancelled');
  });

  it('a dossier that never ends stops at the follow-up deadline with a clear outcome', async () => {
    const { order, dossierId } = await placeFollowedOrder(world, 'deadline');
    world.aequivalent.advance('deadline', dossierId, 'candidate_invited');
    const result = await resultOf(order.workflowId);
    expect(result.outcome).toBe('follow-up-deadline');
    expect(result.problems).toContainEqual(expect.objectContaining({ code: 'follow_up_deadline', field: 'dossier' }));
    expect(result.problems!.find((p) => p.code === 'follow_up_deadline')!.message).toContain('candidate_invited');
  });

  it('a write-back blocked past the threshold is a visible stage, then the order goes on', async () => {
    const T = 'blocked';
    const order = orderInputFor(world, T, usersInState(world, T, 'complete-to-order')[0]!);
    // Reads pass (the definitions collection + the employee), then Lucca refuses every write.
    world.lucca.setFaults(T, {
      script: Array.from({ length: 2 }, () => ({ kind: 'latency' as const, ms: 0 })),
      errorRate: 1,
      errorStatuses: [503],
    });
    const handle = await startOrder(world, order);
    await waitFor(
      'stage write-back-blocked',
      async () => ((await orderState(world, order.workflowId)).stage === 'write-back-blocked' ? true : undefined),
      60_000,
    );

    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(RUN_STATE)).toBe('write-back-blocked');
    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toMatch(/^Lucca write-back \(created\) blocked since .*still retrying$/);
    // An operator finds it with a visibility query.
    await waitFor('visible in the list', async () => {
      for await (const run of client().workflow.list({
        query: `LuccaRunState = 'write-back-blocked' AND WorkflowId = '${order.workflowId}'`,
      }))
        return run.workflowId;
      return undefined;
    });

    world.lucca.setFaults(T, { reset: true });
    // The next activity retry (exponential backoff) gets through.
    await waitFor('following', async () => ((await orderState(world, order.workflowId)).stage === 'following' ? true : undefined), 120_000);
    expect(world.aequivalent.stats(T).dossiersCreated).toBe(1);
  });
});
