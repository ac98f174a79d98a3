import { signWebhook } from '../../../src/connectors/aequivalent-screening/aequivalent/webhook-signature';
import {
  cancelOrderUpdate,
  SCREENING_INTAKE,
  type ScreeningIntakeResult,
  type ScreeningOrderResult,
} from '../../../src/connectors/aequivalent-screening/contract';
import {
  CODE,
  CREATED,
  orderInputFor,
  orderState,
  placeFollowedOrder,
  type ScreeningWorld,
  startOrder,
  startScreeningWorld,
  statusLabel,
  TO_ORDER,
  usersInState,
  waitUntilFollowing,
} from './screening-test-kit';
import { waitFor } from '../../support/wait-for';
import { signedFor, TEST_OPERATOR } from '../../support/test-operator';

describe('screening orders: edge cases on a real Temporal server', () => {
  let world: ScreeningWorld;

  beforeAll(async () => {
    world = await startScreeningWorld([
      { id: 'writeback' },
      { id: 'joiner' },
      { id: 'hrreset' },
      { id: 'invalid' },
      { id: 'consent' },
      { id: 'expiry', noWebhooks: true },
      { id: 'badsig' },
      {
        id: 'labels',
        aequivalent: {
          statusLabels: {
            toOrder: 'dossier a commander',
            created: 'Dossier créé par Aequivalent',
            mirror: { report_available: 'Rapport disponible' },
          },
        },
      },
    ]);
  });
  afterAll(async () => {
    await world?.stop();
  });

  const client = () => world.harness.env.client;
  const resultOf = (workflowId: string) => client().workflow.getHandle(workflowId).result() as Promise<ScreeningOrderResult>;
  const runIntake = (tenantId: string, suffix: string) =>
    client().workflow.execute(SCREENING_INTAKE, {
      taskQueue: world.harness.taskQueue,
      workflowId: `screening-intake/${tenantId}/${suffix}`,
      args: [{ tenantId }],
    }) as Promise<ScreeningIntakeResult>;
  const completeUser = (tenantId: string) => usersInState(world, tenantId, 'complete-to-order')[0]!;

  it('a Lucca write-back failing for a while is retried without a second dossier', async () => {
    const T = 'writeback';
    const order = orderInputFor(world, T, completeUser(T));
    // The order reads Lucca twice (the definitions collection + the employee), then writes back:
    // let those 2 through, then fail the next 6 requests (the PUT and its retries) with 503.
    world.lucca.setFaults(T, {
      script: [
        ...Array.from({ length: 2 }, () => ({ kind: 'latency' as const, ms: 0 })),
        ...Array.from({ length: 6 }, () => ({ kind: 'error' as const, status: 503 })),
      ],
    });
    const handle = await startOrder(world, order);
    await waitUntilFollowing(world, order.workflowId);

    expect(world.lucca.faults(T).script).toEqual([]); // every scripted failure was hit
    expect(statusLabel(world, T, order.luccaId)).toBe(CREATED);
    expect(world.aequivalent.stats(T).dossiersCreated).toBe(1);
    // The write-back needed a second activity attempt; the create ran once.
    const history = await handle.fetchHistory();
    const attempts = (history.events ?? []).map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0);
    expect(Math.max(...attempts)).toBeGreaterThanOrEqual(2);
    const dossier = world.aequivalent.dossiers(T)[0]!;
    world.aequivalent.advance(T, dossier.id, 'candidate_invited');
    world.aequivalent.advance(T, dossier.id, 'consent_given');
    world.aequivalent.advance(T, dossier.id, 'in_progress');
    world.aequivalent.advance(T, dossier.id, 'report_available', 'attention_points');
    expect(await resultOf(order.workflowId)).toEqual({ outcome: 'attention_points', dossierId: dossier.id });
    expect(world.aequivalent.stats(T).dossiersCreated).toBe(1);
  });

  it('an intake running again while the order is in flight joins it (write-back blocked by a missing right)', async () => {
    const T = 'joiner';
    const order = orderInputFor(world, T, completeUser(T));
    const key = world.luccaKeys.get(T)!;
    world.lucca.tenant(T).setApiKeyPermissions(key, { writableSections: ['e_cost_center'] }); // 403 on the status

    const first = await runIntake(T, 'run-1');
    expect(first.started).toContain(order.workflowId);
    await waitFor('a failed write-back', async () =>
      (await orderState(world, order.workflowId)).writeBackFailures >= 1 ? true : undefined,
    );
    expect(statusLabel(world, T, order.luccaId)).toBe(TO_ORDER);
    // The first order is where a read-only section shows (`tenants check` writes nothing): its details say what to fix.
    const metadata = await client().workflow.getHandle(order.workflowId).query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toContain('blocked: LuccaPermissionError');
    expect(metadata.currentDetails).toContain('"Modifier le dossier du personnel" on the section "Background check"');

    const second = await runIntake(T, 'run-2');
    expect(second.joined).toEqual([order.workflowId]);
    expect(second.started).toEqual([]);
    expect(world.aequivalent.stats(T).dossiersCreated).toBe(1);

    world.lucca.tenant(T).setApiKeyPermissions(key, { writableSections: 'all' });
    await waitUntilFollowing(world, order.workflowId);
    expect(statusLabel(world, T, order.luccaId)).toBe(CREATED);
    expect(world.aequivalent.stats(T).dossiersCreated).toBe(1);

    // cancelOrder: the dossier is cancelled at Aequivalent and the order ends "cancelled".
    // A cancellation without a signed operator proof (a typed name only) is refused first.
    const orderHandle = client().workflow.getHandle(order.workflowId);
    await expect(orderHandle.executeUpdate(cancelOrderUpdate, { args: [{ by: 'anyone' } as never] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/operator proof/) },
    });
    await orderHandle.executeUpdate(cancelOrderUpdate, {
      args: [
        await signedFor(orderHandle, 'cancelOrder', { by: 'ops-test', client: 'screening-edge-cases-test', reason: 'hired elsewhere' }),
      ],
    });
    const result = await resultOf(order.workflowId);
    expect(result.outcome).toBe('cancelled');
    expect(result.cancelledBy).toEqual({
      by: TEST_OPERATOR.name,
      key: expect.stringMatching(/^[0-9a-f]{16}$/),
      client: 'screening-edge-cases-test',
      reason: 'hired elsewhere',
    });
    expect(world.aequivalent.dossiers(T)[0]!.status).toBe('cancelled');
  });

  it('HR resetting the status before the dossier exists cancels the order: nothing is placed', async () => {
    const T = 'hrreset';
    const order = orderInputFor(world, T, completeUser(T));
    world.lucca.tenant(T).clearExtendedValue(order.luccaId, CODE);
    await startOrder(world, order);
    const result = await resultOf(order.workflowId);
    expect(result.outcome).toBe('cancelled-by-hr');
    expect(result.dossierId).toBeUndefined();
    expect(world.aequivalent.stats(T).dossiersCreated).toBe(0);
    expect(world.lucca.tenant(T).getExtendedValue(order.luccaId, CODE)).toBeUndefined(); // nothing written either
  });

  it('invalid data places no order and says why', async () => {
    const T = 'invalid';
    const luccaId = completeUser(T);
    world.lucca.tenant(T).updateUser(luccaId, { mail: null, directLine: null, professionalMobile: null, personalMobile: null });
    const order = orderInputFor(world, T, luccaId);
    await startOrder(world, order);
    const result = await resultOf(order.workflowId);
    expect(result.outcome).toBe('invalid');
    expect(result.problems?.map((p) => p.code)).toEqual(['missing_contact']);
    expect(world.aequivalent.stats(T).dossiersCreated).toBe(0);
    expect(statusLabel(world, T, luccaId)).toBe(TO_ORDER); // left for HR to fix; the next intake re-runs it
    const state = await orderState(world, order.workflowId);
    expect(state).toMatchObject({ stage: 'completed', outcome: 'invalid' });
  });

  it('a refused consent ends the order with that outcome', async () => {
    const T = 'consent';
    const { order, dossierId } = await placeFollowedOrder(world, T);
    world.aequivalent.advance(T, dossierId, 'candidate_invited');
    world.aequivalent.advance(T, dossierId, 'consent_refused');
    expect(await resultOf(order.workflowId)).toEqual({ outcome: 'consent_refused', dossierId });

    // What one order costs in Lucca: 1 definitions read (all codes) + 1 employee read + 1 write-back, + 1 download per file.
    const files = world.aequivalent.dossiers(T)[0]!.documents.length;
    expect(files).toBeGreaterThanOrEqual(1);
    const byRoute = world.lucca.stats(T).byRoute;
    expect(byRoute).toEqual({
      'GET /api/v3/extensionuserdefinitions': 1,
      'GET /api/v3/users/:id': 1,
      'PUT /api/v3/users/:id': 1,
      'GET /api/v3/files/:guid': files,
    });
  });

  it('an expired dossier ends the order, learnt by polling when no webhook comes', async () => {
    const T = 'expiry';
    const { order, dossierId } = await placeFollowedOrder(world, T);
    world.aequivalent.advance(T, dossierId, 'candidate_invited');
    world.aequivalent.advance(T, dossierId, 'expired');
    expect(await resultOf(order.workflowId)).toEqual({ outcome: 'expired', dossierId });
    const state = await orderState(world, order.workflowId);
    expect(state.polls).toBeGreaterThanOrEqual(1);
    expect(state.signalsApplied).toBe(0);
    expect(state.history.map((h) => [h.status, h.source])).toEqual([
      ['created', 'create'],
      ['candidate_invited', 'poll'],
      ['expired', 'poll'],
    ]);
  });

  it('a webhook with a bad signature is rejected (401) and changes nothing; a replayed event is applied once', async () => {
    const T = 'badsig';
    const { order, following: before } = await placeFollowedOrder(world, T);
    const event = (id: string, status: string) =>
      JSON.stringify({
        id,
        type: 'dossier.status_changed',
        dossierId: before.dossierId,
        externalReference: order.workflowId,
        status,
        result: null,
        occurredAt: new Date().toISOString(),
      });
    const post = (body: string, secret: string) =>
      fetch(world.receiver.urlFor(T), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'aequivalent-signature': signWebhook(secret, body, Math.floor(Date.now() / 1000)) },
        body,
      });

    const forged = await post(event('evt_forged', 'cancelled'), 'wrong-secret');
    expect(forged.status).toBe(401);
    const after = await orderState(world, order.workflowId);
    expect(after).toMatchObject({ stage: 'following', history: before.history, signalsApplied: 0, signalsIgnored: 0 });
    expect(after.outcome).toBeUndefined();

    // The same event, correctly signed, delivered twice: handed over once (the receiver acknowledges the second).
    const genuine = event('evt_genuine', 'candidate_invited');
    expect((await post(genuine, world.webhookSecrets.get(T)!)).status).toBe(200);
    const second = await post(genuine, world.webhookSecrets.get(T)!);
    expect([second.status, await second.json()]).toEqual([200, { received: true, id: 'evt_genuine', duplicate: true }]);
    const applied = await waitFor('signal handled', async () => {
      const s = await orderState(world, order.workflowId);
      return s.signalsApplied + s.signalsIgnored >= 1 ? s : undefined;
    });
    expect(applied.signalsApplied).toBe(1);
    expect(applied.signalsIgnored).toBe(0);
    expect(applied.history.map((h) => h.status)).toEqual(['created', 'candidate_invited']);

    const orderHandle = client().workflow.getHandle(order.workflowId);
    await orderHandle.executeUpdate(cancelOrderUpdate, {
      args: [await signedFor(orderHandle, 'cancelOrder', { by: 'ops-test', client: 'screening-edge-cases-test' })],
    });
    expect((await resultOf(order.workflowId)).outcome).toBe('cancelled');
  });

  it('labels match despite accents ("créé" configured, "crée" in Lucca) and later states are mirrored', async () => {
    const T = 'labels';
    const store = world.lucca.tenant(T);
    store.definition(CODE)!.entries.push({ id: 9_901, name: 'Rapport disponible', translation: 'Rapport disponible' });
    const luccaId = completeUser(T);
    const intake = await runIntake(T, 'run-1');
    const order = orderInputFor(world, T, luccaId);
    expect(intake.started).toContain(order.workflowId);

    const { dossierId } = await waitUntilFollowing(world, order.workflowId);
    expect(statusLabel(world, T, luccaId)).toBe(CREATED); // Lucca's own spelling, found from the configured one
    world.aequivalent.advance(T, dossierId!, 'candidate_invited');
    world.aequivalent.advance(T, dossierId!, 'consent_given');
    world.aequivalent.advance(T, dossierId!, 'in_progress');
    world.aequivalent.advance(T, dossierId!, 'report_available', 'non_compliant');
    expect(await resultOf(order.workflowId)).toEqual({ outcome: 'non_compliant', dossierId });
    expect(statusLabel(world, T, luccaId)).toBe('Rapport disponible');
    expect(world.aequivalent.stats(T).dossiersCreated).toBe(1);
  });
});
