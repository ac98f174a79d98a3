import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { loadConfig } from '../../../src/config/load-config';
import {
  buildProductImage,
  buildSimulatorsImage,
  SIMULATORS_IMAGE,
  describeWithContainerEngine,
  docker,
  PRODUCT_IMAGE,
  runAsync,
  type BuildTimings,
} from '../../support/containers';
import { freePort } from '../../support/free-port';

const ROOT = resolve(__dirname, '../../..');
const PROJECT = `lc-compose-${randomBytes(3).toString('hex')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `docker compose --profile sandbox up` as the README gives it: PostgreSQL, the schema step, the
 * Temporal server on the repo's config, setup, worker, webhook receiver, codec server and the
 * simulators, every connector process from the image built from the Dockerfile. An operator's
 * commands run with `docker compose run` in a container of the same image. Published ports are
 * free ports (variables of the compose file), the project name is unique, everything is torn down.
 */
describeWithContainerEngine('docker compose: the whole system up on the simulators, driven end to end', () => {
  const env: Record<string, string> = {
    LUCCA_CONNECTORS_IMAGE: PRODUCT_IMAGE,
    LUCCA_CONNECTORS_SIMULATORS_IMAGE: SIMULATORS_IMAGE,
    COMPOSE_PROJECT_NAME: PROJECT,
    COMPOSE_PROFILES: 'sandbox',
  };
  const figures: Record<string, number> = {};
  let timings: BuildTimings = {};
  let connection: Connection | undefined;
  /** Without the payload codec: its key material is in the compose project's store, which is not published. Statuses only. */
  let client: Client;
  const { namespace, taskQueue } = loadConfig(join(ROOT, 'config/compose-sandbox.yaml')).config.temporal;
  const compose = (args: string[], timeoutMs = 600_000, onOutput?: (soFar: string) => void) =>
    runAsync('docker', ['compose', '-f', join(ROOT, 'docker-compose.yml'), ...args], timeoutMs, onOutput, env);
  /** An operator command: `docker compose run --rm setup node dist/client.js …` (same image, env and read-only config). */
  const cli = (args: string[]) => compose(['run', '--rm', '--no-deps', 'setup', 'node', 'dist/client.js', ...args], 900_000);
  const timed = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    const result = await step();
    figures[name] = Math.round((Date.now() - started) / 1000);
    return result;
  };

  beforeAll(async () => {
    timings = await buildProductImage();
    timings[SIMULATORS_IMAGE] = await buildSimulatorsImage();
    for (const name of ['TEMPORAL', 'WEBHOOK', 'CODEC', 'SANDBOX_LUCCA', 'SANDBOX_ELEVO', 'SANDBOX_AEQUIVALENT'])
      env[`LUCCA_CONNECTORS_${name}_PORT`] = String(await freePort());
    const up = await timed('upSeconds', () => compose(['up', '-d'], 1_200_000));
    if (up.code !== 0)
      throw new Error(`compose up failed: ${up.output.slice(-4000)}\n${(await compose(['logs', '--tail', '40'])).output.slice(-6000)}`);
    connection = await Connection.connect({ address: `127.0.0.1:${env.LUCCA_CONNECTORS_TEMPORAL_PORT}` });
    client = new Client({ connection, namespace });
    // `up -d` returns once the containers run: wait until the simulators answer and the worker is healthy.
    await timed('readySeconds', () => untilReady());
  }, 3_600_000);

  async function untilReady(): Promise<void> {
    for (let i = 0; i < 300; i++) {
      const simulators = await Promise.all(
        ['LUCCA', 'ELEVO', 'AEQUIVALENT'].map((s) =>
          fetch(`http://127.0.0.1:${env[`LUCCA_CONNECTORS_SANDBOX_${s}_PORT`]}/`).then(
            () => true,
            () => false,
          ),
        ),
      );
      const worker = docker([
        'ps',
        '--filter',
        `label=com.docker.compose.project=${PROJECT}`,
        '--filter',
        'label=com.docker.compose.service=worker',
        '--format',
        '{{.Status}}',
      ]);
      if (simulators.every(Boolean) && worker.includes('(healthy)')) return;
      await sleep(1_000);
    }
    throw new Error('the simulators or the worker never became ready');
  }

  afterAll(async () => {
    process.stdout.write(`[compose] build ${JSON.stringify(timings)} ${JSON.stringify(figures)}\n`);
    await connection?.close();
    await compose(['down', '-v', '--remove-orphans', '-t', '30'], 300_000);
  }, 600_000);

  /** `run <tenant> <connector> --wait` through the CLI container: the workflow id it printed, once the run is over. */
  async function runThroughCli(tenant: string, connector: string): Promise<string> {
    const run = await cli(['run', tenant, connector, '--wait']);
    if (run.code !== 0) throw new Error(`run ${tenant} ${connector} failed: ${run.output.slice(-3000)}`);
    return /started (\S+)/.exec(run.output)![1]!;
  }

  const statusOf = async (workflowId: string) => (await client.workflow.getHandle(workflowId).describe()).status.name;

  it('runs a sync and an order: the sync completes, an order follows its dossier to the end through the webhook receiver', async () => {
    const syncId = await timed('syncSeconds', () => runThroughCli('acme', 'elevo-user-sync'));
    expect(await statusOf(syncId)).toBe('COMPLETED');
    const report = await cli(['report', syncId, '--format', 'json']);
    expect(report.code).toBe(0);
    expect((JSON.parse(report.output.slice(report.output.indexOf('{'))) as { summary: unknown[] }).summary.length).toBeGreaterThan(0);

    const intakeId = await runThroughCli('acme', 'aequivalent-screening');
    expect(await statusOf(intakeId)).toBe('COMPLETED');
    // An order that followed its dossier to the end: completed after a webhook from Aequivalent
    // reached it as a signal (signal names are not encrypted; orders settled at once have none).
    // The sandbox advances its dossiers every 20 s.
    const signalledAndCompleted = async (workflowId: string) => {
      if ((await statusOf(workflowId)) !== 'COMPLETED') return false;
      const history = await client.workflowService.getWorkflowExecutionHistory({ namespace, execution: { workflowId } });
      return (history.history?.events ?? []).some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'dossierStatusChanged');
    };
    const orderCompleted = await timed('orderSeconds', async () => {
      for (let i = 0; i < 300; i++) {
        for await (const wf of client.workflow.list({ query: "WorkflowType = 'screeningOrder'" }))
          if (await signalledAndCompleted(wf.workflowId)) return wf.workflowId;
        await sleep(2_000);
      }
      return undefined;
    });
    expect(orderCompleted).toMatch(/^screening-order\/acme\//);
    const deliveries = (await compose(['logs', 'webhooks'])).output;
    expect(deliveries).toMatch(/"msg":"webhook accepted".*"status":"report_available"/);
    expect(deliveries).not.toMatch(/"msg":"webhook rejected"/);
  }, 1_800_000);

  it('scales the workers to 3: three containers, three pollers of the task queue', async () => {
    const scaled = await timed('scaleSeconds', () => compose(['up', '-d', '--no-recreate', '--scale', 'worker=3'], 600_000));
    expect(scaled.code).toBe(0);
    expect(
      docker(['ps', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`, '--filter', 'label=com.docker.compose.service=worker'])
        .trim()
        .split('\n'),
    ).toHaveLength(3);
    let identities = new Set<string>();
    for (let i = 0; i < 120 && identities.size < 3; i++) {
      const described = await client.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      });
      identities = new Set((described.pollers ?? []).map((p) => p.identity!));
      if (identities.size < 3) await sleep(1_000);
    }
    expect(identities.size).toBe(3);
  }, 900_000);

  it('tears down: nothing of the project is left, its volume included', async () => {
    const down = await timed('downSeconds', () => compose(['down', '-v', '--remove-orphans', '-t', '30'], 300_000));
    expect(down.code).toBe(0);
    expect(docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${PROJECT}`]).trim()).toBe('');
    expect(docker(['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`]).trim()).toBe('');
  }, 600_000);
});
