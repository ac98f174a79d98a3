import { signWebhook } from '../../../src/connectors/aequivalent-screening/aequivalent/webhook-signature';
import {
  SCREENING_INTAKE,
  type ScreeningIntakeResult,
  type ScreeningOrderResult,
} from '../../../src/connectors/aequivalent-screening/contract';
import {
  CREATED,
  TO_ORDER,
  orderInputFor,
  orderState,
  startScreeningWorld,
  statusLabel,
  usersInState,
  waitUntilFollowing,
  type ScreeningWorld,
} from './screening-test-kit';
import { waitFor } from '../../support/wait-for';

/** Intake → one order per "to order" employee → dossier → write-back → webhooks → report. */
describe('screening orders: the whole lifecycle on a real Temporal server', () => {
  let world: ScreeningWorld;
  const T = 'lifecycle';

  beforeAll(async () => {
    world = await startScreeningWorld([{ id: T }]);
  });
  afterAll(async () => {
    await world?.stop();
  });

  const runIntake = (suffix: string) =>
    world.harness.env.client.workflow.execute(SCREENING_INTAKE, {
      taskQueue: world.harness.taskQueue,
      workflowId: `screening-intake/${T}/${suffix}`,
      args: [{ tenantId: T }],
    }) as Promise<ScreeningIntakeResult>;

  it('places the order once, writes it back, follows webhooks to a compliant report, reports invalid data, and rejects forged webhooks', async () => {
    const [complete] = usersInState(world, T, 'complete-to-order');
    const [incomplete] = usersInState(world, T, 'incomplete-to-order');
    expect(complete).toBeDefined();
    expect(incomplete).toBeDefined();
    const order = orderInputFor(world, T, complete!);
    const invalidOrder = orderInputFor(world, T, incomplete!);
    expect(statusLabel(world, T, complete!)).toBe(TO_ORDER);

    const first = await runIntake('run-1');
    expect(first.candidates).toBe(2);
    expect(first.scanned).toBe(20);
    // 1 definition + 1 page of users + 1 batch of the candidates (`id=a,b`): no employee read one by one.
    expect(first.luccaRequests).toBe(3);
    expect([...first.started].sort()).toEqual([invalidOrder.workflowId, order.workflowId].sort());
    expect(first.joined).toEqual([]);
    expect(first.refused).toEqual([]);

    // Invalid data: no order, and the reasons (with the tenant's Lucca codes), no personal data.
    const invalid = (await world.harness.env.client.workflow.getHandle(invalidOrder.workflowId).result()) as ScreeningOrderResult;
    expect(invalid.outcome).toBe('invalid');
    expect(invalid.dossierId).toBeUndefined();
    expect(invalid.problems?.map((p) => p.code)).toEqual(expect.arrayContaining([expect.stringMatching(/^missing_(package|reason)$/)]));
    expect(invalid.problems?.some((p) => p.luccaCode?.startsWith('e_screening_'))).toBe(true);
    expect(world.aequivalent.dossiers(T).filter((d) => d.externalReference === invalidOrder.workflowId)).toEqual([]);

    // The valid order: one dossier, files handed over, Lucca says "created" (same value id).
    const following = await waitUntilFollowing(world, order.workflowId);
    // Both orders took the intake's candidate record: neither read its employee again.
    expect(world.lucca.stats(T).byRoute['GET /api/v3/users/:id'] ?? 0).toBe(0);
    const dossiers = world.aequivalent.dossiers(T);
    expect(dossiers).toHaveLength(1);
    const dossier = dossiers[0]!;
    expect(dossier.externalReference).toBe(order.workflowId);
    expect(following.dossierId).toBe(dossier.id);
    expect(statusLabel(world, T, complete!)).toBe(CREATED);
    expect(
      String(
        world.lucca.tenant(T).getExtendedValue(complete!, 'e_order_status') &&
          (world.lucca.tenant(T).getExtendedValue(complete!, 'e_order_status') as { id: number }).id,
      ),
    ).toBe(order.orderKey);
    const store = world.lucca.tenant(T);
    const others = store.getExtendedValue(complete!, 'e_candidate_other_files');
    const expectedFiles = 1 + (Array.isArray(others) ? others.length : others ? 1 : 0);
    expect(dossier.documents).toHaveLength(expectedFiles);
    expect(following.filesTransferred).toBe(expectedFiles);
    expect(dossier.documents.map((d) => d.kind)).toContain('cv');
    // Files arrive intact: same bytes as in Lucca.
    const cvGuid = (store.getExtendedValue(complete!, 'e_candidate_cv_file') as { value: string }).value;
    const { createHash } = await import('node:crypto');
    expect(dossier.documents.find((d) => d.kind === 'cv')!.sha256).toBe(
      createHash('sha256').update(store.getFile(cvGuid)!.bytes).digest('hex'),
    );
    // The query carries ids and statuses only.
    expect(JSON.stringify(following)).not.toContain(store.getUser(complete!)!.lastName);

    // A second intake: the placed order is not picked again (status is "created"); the invalid one re-runs.
    const second = await runIntake('run-2');
    expect(second.candidates).toBe(1);
    expect(second.restarted).toEqual([invalidOrder.workflowId]);
    expect(second.started).toEqual([]);
    expect(world.aequivalent.stats(T).dossiersCreated).toBe(1);

    // A forged webhook (bad signature) is refused and changes nothing.
    const before = await orderState(world, order.workflowId);
    const forged = JSON.stringify({
      id: 'evt_forged',
      type: 'dossier.status_changed',
      dossierId: dossier.id,
      externalReference: order.workflowId,
      status: 'report_available',
      result: 'non_compliant',
      occurredAt: new Date().toISOString(),
    });
    const res = await fetch(world.receiver.urlFor(T), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'aequivalent-signature': signWebhook('not-the-secret', forged, Math.floor(Date.now() / 1000)),
      },
      body: forged,
    });
    expect(res.status).toBe(401);
    const after = await orderState(world, order.workflowId);
    expect(after.stage).toBe('following');
    expect(after.outcome).toBeUndefined();
    expect(after.history).toEqual(before.history);
    expect(after.signalsApplied + after.signalsIgnored).toBe(before.signalsApplied + before.signalsIgnored);

    // Aequivalent's back office moves the dossier; signed webhooks reach the workflow.
    world.aequivalent.advance(T, dossier.id, 'candidate_invited');
    world.aequivalent.advance(T, dossier.id, 'consent_given');
    world.aequivalent.advance(T, dossier.id, 'in_progress');
    world.aequivalent.advance(T, dossier.id, 'report_available', 'compliant');
    const result = (await world.harness.env.client.workflow.getHandle(order.workflowId).result()) as ScreeningOrderResult;
    expect(result).toEqual({ outcome: 'compliant', dossierId: dossier.id });

    const final = await orderState(world, order.workflowId);
    expect(final.history.map((h) => h.status)).toEqual([
      'created',
      'candidate_invited',
      'consent_given',
      'in_progress',
      'report_available',
    ]);
    expect(final.signalsApplied).toBeGreaterThanOrEqual(1);
    await waitFor('webhooks delivered', () => world.aequivalent.stats(T).webhooksDelivered >= 1);
    expect(world.aequivalent.stats(T).dossiersCreated).toBe(1);

    // Finished: a third intake refuses nothing and starts nothing for this employee.
    const third = await runIntake('run-3');
    expect([...third.started, ...third.joined, ...third.refused.map((r) => r.workflowId)]).not.toContain(order.workflowId);
  });
});
