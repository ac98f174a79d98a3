import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { parseConfigText } from '../../../src/config/load-config';
import { buildRuntime, type ConnectorsRuntime } from '../../../src/runtime/connectors-runtime';
import { SCREENING_INTAKE, screeningIntakeWorkflowId } from '../../../src/connectors/aequivalent-screening/contract';
import { LUCCA_REQUEST_BUDGET, pauseLuccaBudgetSignal } from '../../../src/shared/lucca-budget-contract';
import { createRuntimeWorker } from '../../../src/worker';
import { startReadyRealServer, type ReadyRealServer } from '../../support/ready-real-server';
import { setCurrentWorkerVersion } from '../../support/set-current-worker-version';
import { writeTestConfigFile } from '../../support/test-config-file';
import { lastTaskBuild } from '../../support/last-task-build';
import { waitFor } from '../../support/wait-for';

const DEPLOYMENT = 'lucca-connectors';
const { VERSIONING_BEHAVIOR_PINNED: PINNED, VERSIONING_BEHAVIOR_AUTO_UPGRADE: AUTO_UPGRADE } = temporal.api.enums.v1.VersioningBehavior;

/**
 * Worker Deployment Versioning on the real Temporal server (v1.29.1 built from source, PostgreSQL),
 * with the production worker factory: a release v1 → v2 while a pinned workflow (the Elevo sync's
 * tenant lock) and an auto-upgrading one (the Lucca budget) are in flight.
 */
describe('Worker Deployment Versioning on the real Temporal server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-versioning-'));
  let ready: ReadyRealServer;
  let connection: Connection;
  let native: NativeConnection;
  let runtime: ConnectorsRuntime;
  let client: Client;
  jest.setTimeout(300_000);

  beforeAll(async () => {
    ready = await startReadyRealServer();
    connection = ready.connection;
    writeFileSync(join(dir, 'lucca.key'), '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f');
    for (const f of ['aequivalent.key', 'aequivalent-webhook.secret']) writeFileSync(join(dir, f), 'unused-here');
    const { configPath, yaml } = writeTestConfigFile(dir, {
      taskQueue: 'versioning',
      tenantsYaml: [
        '  - id: acme',
        '    lucca: { baseUrl: "http://127.0.0.1:9", apiKey: "file:lucca.key" }',
        '    aequivalent: { baseUrl: "http://127.0.0.1:9", apiKey: "file:aequivalent.key", webhookSecret: "file:aequivalent-webhook.secret" }',
      ],
    });
    runtime = buildRuntime({
      loaded: parseConfigText(yaml, configPath),
      settings: { dataDir: join(dir, 'artifacts'), temporalAddress: ready.server.address },
    });
    native = await NativeConnection.connect({ address: ready.server.address });
    client = new Client({ connection, namespace: 'default', dataConverter: runtime.dataConverter });
  });
  afterAll(async () => {
    await native?.close();
    await ready?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const versioning = async (workflowId: string) =>
    (await client.workflow.getHandle(workflowId).describe()).raw.workflowExecutionInfo?.versioningInfo;
  const setCurrent = (buildId: string) =>
    setCurrentWorkerVersion(connection, { deploymentName: DEPLOYMENT, buildId, identity: 'release' }, 90_000);
  const startWorker = async (buildId: string): Promise<{ worker: Worker; running: Promise<void> }> => {
    const worker = await createRuntimeWorker(runtime, native, { deployment: { name: DEPLOYMENT, buildId } });
    return { worker, running: worker.run() };
  };

  it('v1 → v2: the pinned workflow finishes on v1, the auto-upgrading one moves to v2', async () => {
    const v1 = await startWorker('v1');
    const v2 = { worker: undefined as Worker | undefined, running: Promise.resolve() };
    try {
      await setCurrent('v1');
      // Pinned and kept in flight: an intake whose Lucca (127.0.0.1:9) never answers, retried for minutes.
      // The tenant lock used to play this part; one started by hand now refuses at once (issue 22).
      const lock = await client.workflow.start(SCREENING_INTAKE, {
        taskQueue: 'versioning',
        workflowId: screeningIntakeWorkflowId('acme', 'pinned'),
        args: [{ tenantId: 'acme' }],
      });
      const budget = await client.workflow.start(LUCCA_REQUEST_BUDGET, {
        taskQueue: 'versioning',
        workflowId: 'lucca-budget/versioning-test',
        args: [{ domainKey: 'versioning-test', perMinute: 50, windowMs: 63_000 }],
      });
      await waitFor(
        'both on v1',
        async () =>
          (await versioning(lock.workflowId))?.deploymentVersion?.buildId === 'v1' &&
          (await versioning(budget.workflowId))?.deploymentVersion?.buildId === 'v1'
            ? true
            : undefined,
        60_000,
      );
      expect((await versioning(lock.workflowId))?.behavior).toBe(PINNED);
      expect((await versioning(budget.workflowId))?.behavior).toBe(AUTO_UPGRADE);

      Object.assign(v2, await startWorker('v2'));
      await setCurrent('v2');
      // Its next workflow task moves it. The new current version reaches the task queue's routing a
      // little later than the call returns, and a task dispatched before that still runs on v1: nudge again.
      let nudgedAt = 0;
      const onV2 = async () => {
        if ((await versioning(budget.workflowId))?.deploymentVersion?.buildId === 'v2') return true;
        if (Date.now() - nudgedAt < 2_000) return undefined;
        nudgedAt = Date.now();
        await budget.signal(pauseLuccaBudgetSignal, { forMs: 1 });
        return undefined;
      };
      await waitFor('budget on v2', onV2, 60_000);
      // Its next workflow task (a signal it ignores) still goes to v1.
      await lock.signal('wake');
      await waitFor('pinned task after the release done by v1', () => lastTaskBuild(lock), 60_000).then((b) => expect(b).toBe('v1'));
      expect((await versioning(lock.workflowId))?.deploymentVersion?.buildId).toBe('v1');
      await lock.terminate('test over');
      await budget.terminate('test over');
    } finally {
      v1.worker.shutdown();
      v2.worker?.shutdown();
      await Promise.all([v1.running, v2.running]);
    }
  });
});
