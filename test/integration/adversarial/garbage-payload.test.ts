import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { AesGcmPayloadCodec } from '../../../src/codec/aes-gcm-payload-codec';
import { createDataConverter } from '../../../src/codec/data-converter';
import { parseConfigText } from '../../../src/config/load-config';
import { buildRuntime } from '../../../src/runtime/connectors-runtime';
import { tenantPayloadKeys } from '../../../src/runtime/tenant-payload-keys';
import { cancelOrderUpdate, screeningOrderWorkflowId, type OrderState } from '../../../src/connectors/aequivalent-screening/contract';
import { createRuntimeWorker } from '../../../src/worker';
import {
  orderInputFor,
  orderState,
  startScreeningWorld,
  usersInState,
  waitUntilFollowing,
  type ScreeningWorld,
} from '../aequivalent-screening/screening-test-kit';
import { outcomeOfLastMessage } from './message-history';
import { waitFor } from '../../support/wait-for';

/**
 * A key-less caller with Temporal API access sends a payload that looks sealed (our encoding, the
 * order's key id, tenant and workflow copied from its history) but whose bytes are garbage. Before,
 * the worker's codec threw, the workflow task failed on every retry and the order was stalled for
 * good. Now a payload that does not open under a key the worker has proven (it opened another
 * process's payload under it) is refused like a payload sealed elsewhere: the signal is dropped, the
 * update rejected, the start fails cleanly — and the order goes on. A worker holding the WRONG key
 * has proven nothing: it keeps failing (retrying) the task, and once the right key is deployed the
 * order and its signals are processed, nothing lost. Garbage naming a key id that no process has
 * configured is refused outright (`unknown-key`): rotation configures a key everywhere before it seals.
 */
const PAYLOAD_KEY = randomBytes(32);
const KEY_ID = 'garbage-k1';
const TENANT = 'alpha';
/** The wrong-key worker's order is of another tenant (its own candidate ready to order). */
const OTHER = 'beta';
const UNKNOWN_KEY_ID = 'garbage-k2';

describe('a sealed-looking payload that does not open', () => {
  let world: ScreeningWorld;
  /** The CLI or webhook receiver: another process than the worker, with the same key and store. */
  let cli: Client;
  /** An order of TENANT started by the CLI: the worker opened its input, so it knows its key is right. */
  let order: { workflowId: string; handle: WorkflowHandle; following: OrderState };
  const namespace = () => world.harness.env.client.options.namespace;

  beforeAll(async () => {
    world = await startScreeningWorld([{ id: TENANT }, { id: OTHER }], {
      payloadKey: { id: KEY_ID, material: PAYLOAD_KEY.toString('base64') },
    });
    const codec = new AesGcmPayloadCodec([{ id: KEY_ID, key: PAYLOAD_KEY }]);
    codec.useTenantKeys(tenantPayloadKeys(() => [TENANT, OTHER], world.harness.artifacts, false));
    cli = new Client({ connection: world.harness.env.connection, namespace: namespace(), dataConverter: createDataConverter(codec) });
    const { input, start } = orderOf(TENANT);
    const handle = await start();
    order = { workflowId: input.workflowId, handle, following: await waitUntilFollowing(world, input.workflowId) };
  });
  afterAll(async () => world?.stop());

  function orderOf(tenantId: string, taskQueue = world.harness.taskQueue) {
    const input = orderInputFor(world, tenantId, usersInState(world, tenantId, 'complete-to-order')[0]!);
    const { workflowId, ...args } = input;
    return { input, start: () => cli.workflow.start('screeningOrder', { taskQueue, workflowId, args: [args] }) };
  }

  /** What the attacker sends: the metadata of a genuine payload of the target, random bytes as data. */
  async function garbageFor(workflowId: string): Promise<Payload[]> {
    const started = (await cli.workflow.getHandle(workflowId).fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!;
    const genuine = started.input!.payloads![0]!;
    return [{ metadata: genuine.metadata, data: randomBytes(Buffer.from(genuine.data!).length) }];
  }

  /** The same garbage, naming a key id that no process has configured. */
  const withKeyId = (payloads: Payload[], keyId: string): Payload[] =>
    payloads.map((p) => ({ ...p, metadata: { ...p.metadata, 'encryption-key-id': Buffer.from(keyId) } }));

  const probe = () => ({
    eventId: `probe-${randomUUID()}`,
    dossierId: 'not-this-dossier',
    status: 'in_progress',
    result: null,
    occurredAt: new Date().toISOString(),
  });
  const handled = (s: OrderState) => s.signalsApplied + s.signalsIgnored;

  it('drops garbage signals (configured and unknown key id), rejects a garbage update, and the order goes on to completion', async () => {
    const { workflowId, handle, following } = order;
    const garbage = await garbageFor(workflowId);

    await cli.workflowService.signalWorkflowExecution({
      namespace: namespace(),
      workflowExecution: { workflowId },
      signalName: 'dossierStatusChanged',
      input: { payloads: garbage },
      identity: 'attacker-no-keys',
    });
    expect(await outcomeOfLastMessage(handle)).toBe('completed'); // before: 'failed', on every retry

    // Garbage naming a key id no process configured: once what a rolling rotation looked like, so
    // retried for ever; rotation is two-step now (a key is configured everywhere before it seals).
    await cli.workflowService.signalWorkflowExecution({
      namespace: namespace(),
      workflowExecution: { workflowId },
      signalName: 'dossierStatusChanged',
      input: { payloads: withKeyId(garbage, UNKNOWN_KEY_ID) },
      identity: 'attacker-no-keys',
    });
    expect(await outcomeOfLastMessage(handle)).toBe('completed'); // before: 'failed', on every retry

    const update = await cli.workflowService.updateWorkflowExecution({
      namespace: namespace(),
      workflowExecution: { workflowId },
      request: {
        meta: { updateId: randomUUID(), identity: 'attacker-no-keys' },
        input: { name: cancelOrderUpdate.name, args: { payloads: garbage } },
      },
      waitPolicy: {
        lifecycleStage: temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED,
      },
    });
    expect(await failureMessage(update.outcome)).toMatch(/forged or altered/);

    // A genuine signal afterwards is handled, and only it: the garbage never reached the handler.
    await cli.workflow.getHandle(workflowId).signal('dossierStatusChanged', probe());
    const after = await waitFor('the probe handled', async () => {
      const s = await orderState(world, workflowId);
      return handled(s) > handled(following) ? s : undefined;
    });
    expect(handled(after)).toBe(handled(following) + 1);
    expect(after.cancelledBy).toBeUndefined();

    for (const status of ['candidate_invited', 'consent_given', 'in_progress'] as const)
      world.aequivalent.advance(TENANT, following.dossierId!, status);
    world.aequivalent.advance(TENANT, following.dossierId!, 'report_available', 'compliant');
    await expect(handle.result()).resolves.toMatchObject({ outcome: 'compliant' });
  });

  it.each([
    ['the configured key id', KEY_ID, /forged or altered/],
    ['a key id no process configured', UNKNOWN_KEY_ID, /has not configured \(forged/],
  ])('fails a garbage start naming %s cleanly (non-retryable), instead of a run stuck on its first task', async (_, keyId, reason) => {
    const workflowId = screeningOrderWorkflowId(TENANT, 999_999, `forged-${randomUUID()}`);
    // All of it readable in any history of the tenant; only the bytes need the key.
    const metadata = Object.fromEntries(
      Object.entries({
        encoding: 'binary/encrypted',
        'encryption-key-id': keyId,
        'encryption-format': '2',
        'encryption-tenant': TENANT,
        'encryption-workflow': workflowId,
      }).map(([k, v]) => [k, Buffer.from(v)]),
    );
    await cli.workflowService.startWorkflowExecution({
      namespace: namespace(),
      workflowId,
      workflowType: { name: 'screeningOrder' },
      taskQueue: { name: world.harness.taskQueue },
      input: { payloads: [{ metadata, data: randomBytes(200) }] },
      identity: 'attacker-no-keys',
      requestId: randomUUID(),
    });
    const handle = cli.workflow.getHandle(workflowId);
    const firstEnd = await waitFor('the first workflow task to end', async () => {
      const events = (await handle.fetchHistory()).events ?? [];
      if (events.some((e) => e.workflowTaskFailedEventAttributes)) return 'task failed (retried forever)';
      if (events.some((e) => e.workflowExecutionFailedEventAttributes)) return 'run failed';
      return undefined;
    });
    expect(firstEnd).toBe('run failed');
    await expect(handle.result()).rejects.toMatchObject({ cause: { message: expect.stringMatching(reason) } });
  });

  describe('a worker holding the wrong key', () => {
    const queue = `wrong-key-${randomUUID().slice(0, 8)}`;

    function runtimeWith(keyRef: string) {
      const yaml = readFileSync(world.harness.configPath, 'utf8').replace('"file:payload.key"', `"${keyRef}"`);
      return buildRuntime({
        loaded: parseConfigText(yaml, world.harness.configPath),
        sharedLuccaBudget: true,
        settings: { dataDir: world.harness.dataDir, taskQueue: queue },
      });
    }

    it('does not refuse: it retries, and once the right key is deployed the order and its signals are processed', async () => {
      const wrong = runtimeWith(world.harness.secretRef('wrong-payload.key', randomBytes(32).toString('base64')));
      const wrongWorker = await createRuntimeWorker(wrong, world.harness.env.nativeConnection);
      const wrongRunning = wrongWorker.run();
      const { input, start } = orderOf(OTHER, queue);
      const handle: WorkflowHandle = await start();
      try {
        await handle.signal('dossierStatusChanged', probe());
        const firstEnd = await waitFor('the wrong-key worker to end its first task', async () => {
          const events = (await handle.fetchHistory()).events ?? [];
          if (events.some((e) => e.workflowTaskFailedEventAttributes)) return 'task failed (retried)';
          if (events.some((e) => e.workflowExecutionFailedEventAttributes)) return 'run failed (refused)';
          return undefined;
        });
        expect(firstEnd).toBe('task failed (retried)');
        expect((await handle.describe()).status.name).toBe('RUNNING');
      } finally {
        wrongWorker.shutdown();
        await wrongRunning;
        await wrong.close();
      }

      const right = runtimeWith('file:payload.key');
      const rightWorker = await createRuntimeWorker(right, world.harness.env.nativeConnection);
      const rightRunning = rightWorker.run();
      try {
        const state = await waitFor('the order processed by the right key', async () => {
          const s = await orderState(world, input.workflowId).catch(() => undefined);
          return s && s.stage === 'following' && handled(s) >= 1 ? s : undefined;
        });
        // The signal sent while the wrong key was deployed was handled, not dropped.
        expect(handled(state)).toBe(1);
        expect((await handle.describe()).status.name).toBe('RUNNING');
      } finally {
        rightWorker.shutdown();
        await rightRunning;
        await right.close();
      }
    });
  });

  async function failureMessage(outcome: temporal.api.update.v1.IOutcome | null | undefined): Promise<string> {
    const attributes = outcome?.failure?.encodedAttributes;
    if (!attributes) return outcome?.failure?.message ?? '(no failure)';
    const [plain] = await world.harness.codec.decode([attributes]);
    return String(defaultPayloadConverter.fromPayload<{ message?: string }>(plain!).message);
  }
});
