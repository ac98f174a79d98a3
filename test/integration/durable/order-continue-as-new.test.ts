import { type ScreeningOrderResult } from '../../../src/connectors/aequivalent-screening/contract';
import { orderState, placeFollowedOrder, type ScreeningWorld, startScreeningWorld } from '../aequivalent-screening/screening-test-kit';
import { waitFor } from '../../support/wait-for';

/**
 * A long-lived order continues as new when Temporal suggests it. The server's suggestion threshold
 * is lowered (dynamic config) so a few polls reach it instead of thousands.
 */
describe('screening order: continue-as-new (real Temporal dev server)', () => {
  const T = 'longlived';
  let world: ScreeningWorld;
  jest.setTimeout(300_000);

  beforeAll(async () => {
    world = await startScreeningWorld([{ id: T, noWebhooks: true }], { dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 60 } });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('continues as new with only the follow-up state, then ends in the true final state', async () => {
    const { order, handle, dossierId } = await placeFollowedOrder(world, T);
    world.aequivalent.advance(T, dossierId, 'candidate_invited');
    const continued = await waitFor(
      'a continued run',
      async () => {
        const state = await orderState(world, order.workflowId);
        return state.continuedAsNew >= 1 ? state : undefined;
      },
      180_000,
    );
    expect(continued.dossierId).toBe(dossierId);
    expect(continued.history.map((h: { status: string }) => h.status)).toEqual(['created', 'candidate_invited']);

    // The first run ended with ContinueAsNew; its history stayed near the threshold.
    const firstRunId = (handle as unknown as { firstExecutionRunId: string }).firstExecutionRunId;
    const first = await world.harness.env.client.workflow.getHandle(order.workflowId, firstRunId).fetchHistory();
    const events = first.events ?? [];
    expect(events[events.length - 1]!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    expect(events.length).toBeLessThan(120);

    world.aequivalent.advance(T, dossierId, 'consent_given');
    world.aequivalent.advance(T, dossierId, 'in_progress');
    world.aequivalent.advance(T, dossierId, 'report_available', 'compliant');
    const result = (await world.harness.env.client.workflow.getHandle(order.workflowId).result()) as ScreeningOrderResult;
    expect(result).toMatchObject({ outcome: 'compliant', dossierId });
    expect(world.aequivalent.stats(T).dossiersCreated).toBe(1);
  });
});
