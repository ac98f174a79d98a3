import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { cancelOrderUpdate, type OrderState } from '../../../src/connectors/aequivalent-screening/contract';
import {
  copyScreeningSection,
  orderInputFor,
  orderState,
  startOrder,
  startScreeningWorld,
  usersInState,
  waitUntilFollowing,
  type ScreeningWorld,
} from '../aequivalent-screening/screening-test-kit';
import { signedFor } from '../../support/test-operator';
import { waitFor } from '../../support/wait-for';

/**
 * An attacker with Temporal API access and no key (docs/threat-model.md, "Payloads, operators"):
 * copies sealed payloads out of one order's history and sends them, unchanged, to another order —
 * of the same tenant, and of another tenant — as `temporal workflow update execute` /
 * `signal` would with `--input-meta`. Before payloads were bound to their workflow, order B was
 * cancelled at Aequivalent by order A's cancel. Also: an old-format (unbound) payload, even with a
 * valid operator proof, is refused in a live message (accepted only while replaying old history).
 */
const PAYLOAD_KEY = randomBytes(32);
const KEY_ID = 'adv-k1';

describe('sealed payloads replayed into another workflow or tenant are refused', () => {
  let world: ScreeningWorld;
  const client = (): Client => world.harness.env.client;
  const namespace = () => client().options.namespace;

  beforeAll(async () => {
    world = await startScreeningWorld([{ id: 'alpha' }, { id: 'beta' }, { id: 'gamma' }, { id: 'delta' }], {
      payloadKey: { id: KEY_ID, material: PAYLOAD_KEY.toString('base64') },
    });
  });
  afterAll(async () => world?.stop());

  /** Two employees of a tenant to order: the generated one, and another given the same Background check section. */
  function twoCandidates(tenantId: string): [number, number] {
    const complete = usersInState(world, tenantId, 'complete-to-order')[0]!;
    return [complete, secondCandidate(tenantId, complete)];
  }

  async function followedOrder(tenantId: string, luccaId: number) {
    const input = orderInputFor(world, tenantId, luccaId);
    const handle = await startOrder(world, input);
    await waitUntilFollowing(world, input.workflowId);
    return { input, handle };
  }

  function secondCandidate(tenantId: string, complete: number): number {
    const other = (['no-status', 'already-created', 'incomplete-to-order'] as const)
      .map((state) => usersInState(world, tenantId, state)[0])
      .find((id) => id !== undefined)!;
    return copyScreeningSection(world, tenantId, complete, other);
  }

  /** The message of a failed update (failure messages are sealed too). */
  async function failureMessage(outcome: temporal.api.update.v1.IOutcome | null | undefined): Promise<string> {
    const attributes = outcome?.failure?.encodedAttributes;
    if (!attributes) return outcome?.failure?.message ?? '(no failure)';
    const [plain] = await world.harness.codec.decode([attributes]);
    return String(defaultPayloadConverter.fromPayload<{ message?: string }>(plain!).message);
  }

  /** The update as the attacker sends it: raw payloads, their own identity, no codec. */
  async function rawUpdate(workflowId: string, name: string, payloads: Payload[]) {
    const response = await client().workflowService.updateWorkflowExecution({
      namespace: namespace(),
      workflowExecution: { workflowId },
      request: { meta: { updateId: randomUUID(), identity: 'attacker-no-keys' }, input: { name, args: { payloads } } },
      waitPolicy: {
        lifecycleStage: temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED,
      },
    });
    return response.outcome;
  }

  async function rawSignal(workflowId: string, signalName: string, payloads: Payload[]) {
    await client().workflowService.signalWorkflowExecution({
      namespace: namespace(),
      workflowExecution: { workflowId },
      signalName,
      input: { payloads },
      identity: 'attacker-no-keys',
    });
  }

  async function historyEvents(workflowId: string) {
    return (await client().workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  }

  const dossierOf = (tenantId: string, dossierId: string) => world.aequivalent.dossiers(tenantId).find((d) => d.id === dossierId)!;

  it('refuses order A’s sealed cancelOrder in order B (same tenant) and in an order of another tenant', async () => {
    const [first, second] = twoCandidates('alpha');
    const a = await followedOrder('alpha', first);
    const b = await followedOrder('alpha', second);
    const c = await followedOrder('beta', twoCandidates('beta')[0]);
    await a.handle.executeUpdate(cancelOrderUpdate, {
      args: [await signedFor(a.handle, 'cancelOrder', { by: 'ops', client: 'test', reason: 'withdrawn' })],
    });
    await a.handle.result();

    const accepted = (await historyEvents(a.input.workflowId)).find(
      (e) => e.workflowExecutionUpdateAcceptedEventAttributes,
    )!.workflowExecutionUpdateAcceptedEventAttributes!;
    const sealedCancel = accepted.acceptedRequest!.input!.args!.payloads! as Payload[];
    expect(Buffer.from(sealedCancel[0]!.metadata!.encoding!).toString()).toBe('binary/encrypted');

    for (const target of [b, c]) {
      const outcome = await rawUpdate(target.input.workflowId, 'cancelOrder', sealedCancel);
      expect(await failureMessage(outcome)).toMatch(/refused: its payload was sealed for another (workflow|tenant)/);
      const state: OrderState = await orderState(world, target.input.workflowId);
      expect(state.cancelledBy).toBeUndefined();
      expect(state.stage).toBe('following');
      expect(dossierOf(target.input.tenantId, state.dossierId!).status).not.toBe('cancelled');
    }
    // Rejected updates never enter the history.
    expect((await historyEvents(b.input.workflowId)).some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);
  });

  it('drops order A’s webhook signal replayed into order B and into another tenant’s order', async () => {
    const [first, second] = twoCandidates('gamma');
    const a = await followedOrder('gamma', first);
    const b = await followedOrder('gamma', second);
    const c = await followedOrder('delta', twoCandidates('delta')[1]);
    const dossierA = (await orderState(world, a.input.workflowId)).dossierId!;
    world.aequivalent.advance('gamma', dossierA, 'candidate_invited');
    await waitFor('the webhook signal applied in A', async () =>
      (await orderState(world, a.input.workflowId)).signalsApplied >= 1 ? true : undefined,
    );
    const signalled = (await historyEvents(a.input.workflowId)).find(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'dossierStatusChanged',
    )!;
    const sealedSignal = signalled.workflowExecutionSignaledEventAttributes!.input!.payloads! as Payload[];

    const before = await Promise.all([b, c].map((t) => orderState(world, t.input.workflowId)));
    for (const target of [b, c]) await rawSignal(target.input.workflowId, 'dossierStatusChanged', sealedSignal);
    // A signal the order does handle afterwards: once it is counted, the replayed one was processed before it.
    for (const target of [b, c]) {
      await target.handle.signal('dossierStatusChanged', {
        eventId: `probe-${randomUUID()}`,
        dossierId: 'not-this-dossier',
        status: 'in_progress',
        result: null,
        occurredAt: new Date().toISOString(),
      });
    }
    for (const [i, target] of [b, c].entries()) {
      const after = await waitFor('the probe handled', async () => {
        const s = await orderState(world, target.input.workflowId);
        return s.signalsApplied + s.signalsIgnored > before[i]!.signalsApplied + before[i]!.signalsIgnored ? s : undefined;
      });
      // Only the probe counted (as applied or ignored); the replayed signal never reached the handler.
      expect(after.signalsApplied + after.signalsIgnored).toBe(before[i]!.signalsApplied + before[i]!.signalsIgnored + 1);
      expect(after.history.map((h) => h.status)).toEqual(before[i]!.history.map((h) => h.status));
    }
  });

  it('refuses an old-format (unbound) payload in a live update, even carrying a valid operator proof', async () => {
    const b = await followedOrder('beta', usersInState(world, 'beta', 'complete-to-order')[0]!);
    const request = await signedFor(b.handle, 'cancelOrder', { by: 'ops', client: 'test' });
    const outcome = await rawUpdate(b.input.workflowId, 'cancelOrder', [sealFormat1(defaultPayloadConverter.toPayload(request))]);
    expect(await failureMessage(outcome)).toMatch(/not bound to this workflow/);
    expect((await orderState(world, b.input.workflowId)).cancelledBy).toBeUndefined();
    // The same proof sealed by the current codec for B is accepted: the refusal was the format.
    await b.handle.executeUpdate(cancelOrderUpdate, { args: [request] });
    expect((await orderState(world, b.input.workflowId)).cancelledBy).toBeDefined();
  });
});

/** A payload as the codec sealed them before payloads named their workflow (format 1, shared key). */
function sealFormat1(payload: Payload): Payload {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', PAYLOAD_KEY, iv);
  cipher.setAAD(Buffer.from(KEY_ID));
  const plain = Buffer.from(temporal.api.common.v1.Payload.encode(payload).finish());
  return {
    metadata: { encoding: Buffer.from('binary/encrypted'), 'encryption-key-id': Buffer.from(KEY_ID) },
    data: Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]),
  };
}
