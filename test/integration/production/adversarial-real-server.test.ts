import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { parseConfigText } from '../../../src/config/load-config';
import { buildRuntime, type ConnectorsRuntime } from '../../../src/runtime/connectors-runtime';
import { AequivalentSandbox } from '../../../dev/simulators/aequivalent';
import { generateLuccaTenant, LuccaSandbox } from '../../../dev/simulators/lucca';
import {
  cancelOrderUpdate,
  orderStateQuery,
  SCREENING_ORDER,
  type OrderState,
} from '../../../src/connectors/aequivalent-screening/contract';
import { acquireLuccaPermitUpdate, LUCCA_REQUEST_BUDGET, luccaBudgetStateQuery } from '../../../src/shared/lucca-budget-contract';
import { temporalCliPath } from '../../../src/temporal/temporal-cli-path';
import { createRuntimeWorker } from '../../../src/worker';
import { startReadyRealServer, type ReadyRealServer } from '../../support/ready-real-server';
import { writeTestConfigFile } from '../../support/test-config-file';
import { tenantSectionsYaml } from '../../support/tenant-sections-yaml';
import { signedFor } from '../../support/test-operator';
import { waitFor } from '../../support/wait-for';
import { copyScreeningSection, orderInputFor, usersInState } from '../aequivalent-screening/screening-test-kit';

/**
 * The adversarial attacks whose outcome depends on the server (docs/threat-model.md), on the real
 * Temporal server (built from source, PostgreSQL) instead of the dev server, sent with the
 * `temporal` CLI by a caller holding no key: a sealed update copied from one workflow's history into
 * another, messages without payload, and a sealed-looking payload whose bytes are garbage. The
 * targets are screening orders (Lucca and Aequivalent sandboxes) and `luccaRequestBudget` workflows;
 * the worker and the "CLI" that starts them are separate runtimes (separate codecs), as in production.
 */
describe('adversarial messages on the real Temporal server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-adversarial-'));
  let ready: ReadyRealServer;
  let connection: Connection;
  let native: NativeConnection;
  let workerRuntime: ConnectorsRuntime;
  let cliRuntime: ConnectorsRuntime;
  let client: Client;
  let worker: { worker: Worker; running: Promise<void> };
  let lucca: LuccaSandbox;
  let aequivalent: AequivalentSandbox;
  jest.setTimeout(300_000);

  beforeAll(async () => {
    ready = await startReadyRealServer();
    connection = ready.connection;
    const luccaKey = randomUUID();
    lucca = await LuccaSandbox.start({ requestsPerMinute: 0 });
    lucca.addTenant('acme', generateLuccaTenant({ tenantId: 'acme', apiKey: luccaKey, employees: 20, seed: 100 }));
    aequivalent = await AequivalentSandbox.start({ lifecycle: { mode: 'manual' } });
    aequivalent.addTenant('acme', { apiKey: 'aeq-key', webhookSecret: 'unused-here', webhookUrl: undefined });
    writeFileSync(join(dir, 'lucca.key'), luccaKey);
    writeFileSync(join(dir, 'aequivalent.key'), 'aeq-key');
    writeFileSync(join(dir, 'aequivalent-webhook.secret'), 'unused-here');
    const { configPath, yaml } = writeTestConfigFile(dir, {
      taskQueue: 'adversarial',
      tenantsYaml: [
        '  - id: acme',
        `    lucca: { baseUrl: "${lucca.baseUrlFor('acme')}", apiKey: "file:lucca.key" }`,
        tenantSectionsYaml({
          aequivalent: {
            baseUrl: aequivalent.baseUrlFor('acme'),
            apiKey: 'file:aequivalent.key',
            webhookSecret: 'file:aequivalent-webhook.secret',
            pollIntervalMinutes: 0.05,
          },
        }),
      ],
    });
    const runtimeOf = (createsTenantKeys: boolean) =>
      buildRuntime({
        loaded: parseConfigText(yaml, configPath),
        createsTenantKeys,
        settings: { dataDir: join(dir, 'artifacts'), temporalAddress: ready.server.address },
      });
    workerRuntime = runtimeOf(true);
    cliRuntime = runtimeOf(false);
    native = await NativeConnection.connect({ address: ready.server.address });
    client = new Client({ connection, namespace: 'default', dataConverter: cliRuntime.dataConverter });
    const w = await createRuntimeWorker(workerRuntime, native);
    worker = { worker: w, running: w.run() };
  });
  afterAll(async () => {
    worker?.worker.shutdown();
    await worker?.running;
    await native?.close();
    await ready?.stop();
    await workerRuntime?.close();
    await cliRuntime?.close();
    await aequivalent?.stop();
    await lucca?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  let counter = 0;
  async function budget(): Promise<WorkflowHandle> {
    const domainKey = `adversarial-${++counter}`;
    const handle = await client.workflow.start(LUCCA_REQUEST_BUDGET, {
      taskQueue: 'adversarial',
      workflowId: `lucca-budget/${domainKey}`,
      args: [{ domainKey, perMinute: 50, windowMs: 63_000 }],
    });
    await handle.query(luccaBudgetStateQuery); // its first task ran: the worker opened the CLI's sealed input
    return handle;
  }

  /** The `temporal` CLI as the attacker runs it (no codec, no key): exit code and output. */
  function temporalCli(args: string[]): Promise<{ code: number; output: string }> {
    const all = [...args, '--address', ready.server.address, '--namespace', 'default', '--identity', 'attacker-no-keys'];
    return new Promise((resolve) => {
      execFile(temporalCliPath(), all, { timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
      );
    });
  }

  /** A payload as CLI flags: its metadata as --input-meta, its bytes base64. */
  const asCliInput = (payload: Payload) => [
    '--input',
    Buffer.from(payload.data ?? []).toString('base64'),
    '--input-base64',
    ...Object.entries(payload.metadata ?? {}).flatMap(([k, v]) => ['--input-meta', `${k}=${Buffer.from(v).toString()}`]),
  ];

  const events = async (handle: WorkflowHandle) => (await handle.fetchHistory()).events ?? [];
  const acceptedUpdates = async (handle: WorkflowHandle) =>
    (await events(handle)).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);

  /** How the workflow task that followed the last signal ended. */
  async function outcomeOfLastSignal(handle: WorkflowHandle): Promise<'completed' | 'failed'> {
    return waitFor(
      'the task handling the signal',
      async () => {
        const all = await events(handle);
        const last = all.map((e, i) => (e.workflowExecutionSignaledEventAttributes ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
        const after = all.slice(last + 1);
        if (after.some((e) => e.workflowTaskFailedEventAttributes)) return 'failed' as const;
        if (after.some((e) => e.workflowTaskCompletedEventAttributes)) return 'completed' as const;
        return undefined;
      },
      60_000,
    );
  }

  /** Starts the order of an employee ready to order and waits until it follows its dossier. */
  async function followedOrder(luccaId: number): Promise<{ handle: WorkflowHandle; following: OrderState }> {
    const { workflowId, ...args } = orderInputFor({ lucca }, 'acme', luccaId);
    const handle = await client.workflow.start(SCREENING_ORDER, { taskQueue: 'adversarial', workflowId, args: [args] });
    const following = await waitFor(
      `${workflowId} following`,
      async () => {
        const state = await handle.query(orderStateQuery).catch(() => undefined);
        return state?.stage === 'following' ? state : undefined;
      },
      120_000,
    );
    return { handle, following };
  }

  it('refuses order A’s sealed cancelOrder sent to order B with temporal workflow update execute', async () => {
    const complete = usersInState({ lucca }, 'acme', 'complete-to-order')[0]!;
    const other = copyScreeningSection({ lucca }, 'acme', complete, usersInState({ lucca }, 'acme', 'no-status')[0]!);
    const [a, b] = [await followedOrder(complete), await followedOrder(other)];
    await a.handle.executeUpdate(cancelOrderUpdate, {
      args: [await signedFor(a.handle, 'cancelOrder', { by: 'ops', client: 'test', reason: 'withdrawn' })],
    });
    const copied = (await acceptedUpdates(a.handle))[0]!.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.args!
      .payloads![0]!;

    const sent = await temporalCli([
      'workflow',
      'update',
      'execute',
      '--workflow-id',
      b.handle.workflowId,
      '--name',
      'cancelOrder',
      ...asCliInput(copied),
    ]);
    expect(sent.code).not.toBe(0);
    expect(sent.output).toMatch(/unable to update workflow: .*PayloadBindingRefused/);
    expect(await acceptedUpdates(b.handle)).toHaveLength(0);
    const state = await b.handle.query(orderStateQuery);
    expect(state.cancelledBy).toBeUndefined();
    expect(state.stage).toBe('following');
    expect(aequivalent.dossiers('acme').find((d) => d.id === b.following.dossierId)?.status).not.toBe('cancelled');
  });

  it('refuses a sealed acquirePermit copied from budget A’s history into budget B (temporal workflow update execute)', async () => {
    const [a, b] = [await budget(), await budget()];
    await a.executeUpdate(acquireLuccaPermitUpdate, { args: [{ perMinute: 50, holder: 'legit' }] });
    const copied = (await acceptedUpdates(a))[0]!.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.args!
      .payloads![0]!;
    expect(Buffer.from(copied.metadata!.encoding!).toString()).toBe('binary/encrypted');

    const sent = await temporalCli([
      'workflow',
      'update',
      'execute',
      '--workflow-id',
      b.workflowId,
      '--name',
      'acquirePermit',
      ...asCliInput(copied),
    ]);
    expect(sent.code).not.toBe(0);
    expect(sent.output).toMatch(/unable to update workflow: .*PayloadBindingRefused/);
    expect(await acceptedUpdates(b)).toHaveLength(0);
    expect((await b.query(luccaBudgetStateQuery)).totalGranted).toBe(0);
  });

  it('drops a pause and rejects an acquirePermit sent without payload; the budget keeps working', async () => {
    const b = await budget();
    const signalled = await temporalCli(['workflow', 'signal', '--workflow-id', b.workflowId, '--name', 'pause']);
    expect(signalled.code).toBe(0);
    expect(await outcomeOfLastSignal(b)).toBe('completed');
    const updated = await temporalCli(['workflow', 'update', 'execute', '--workflow-id', b.workflowId, '--name', 'acquirePermit']);
    expect(updated.code).not.toBe(0);
    expect(updated.output).toMatch(/unable to update workflow/);
    expect(await acceptedUpdates(b)).toHaveLength(0);
    const state = await b.query(luccaBudgetStateQuery);
    expect(state.pausedForMs).toBe(0);
    await expect(b.executeUpdate(acquireLuccaPermitUpdate, { args: [{ perMinute: 50, holder: 'legit' }] })).resolves.toHaveProperty(
      'permitId',
    );
  });

  it('drops a sealed-looking pause with garbage bytes instead of stalling the budget', async () => {
    const b = await budget();
    const started = (await events(b))[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    const garbage: Payload = { metadata: started.metadata, data: randomBytes(Buffer.from(started.data!).length) };
    const signalled = await temporalCli(['workflow', 'signal', '--workflow-id', b.workflowId, '--name', 'pause', ...asCliInput(garbage)]);
    expect(signalled.code).toBe(0);
    expect(await outcomeOfLastSignal(b)).toBe('completed'); // before: 'failed', retried for good
    expect((await b.query(luccaBudgetStateQuery)).pausedForMs).toBe(0);
    await expect(b.executeUpdate(acquireLuccaPermitUpdate, { args: [{ perMinute: 50, holder: 'legit' }] })).resolves.toHaveProperty(
      'permitId',
    );
  });
});
