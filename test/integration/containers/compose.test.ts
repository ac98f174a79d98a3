import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { loadConfig } from '../../../src/config/load-config';
import { buildRuntime, type ConnectorsRuntime } from '../../../src/runtime/connectors-runtime';
import type { ElevoSyncResult } from '../../../src/shared/elevo-user-sync-contract';
import type { ScreeningIntakeResult } from '../../../src/shared/screening-order-contract';
import { buildProductImage, describeWithContainerEngine, docker, PRODUCT_IMAGE, runAsync, type BuildTimings } from '../../support/containers';
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
  const env: Record<string, string> = { LUCCA_CONNECTORS_IMAGE: PRODUCT_IMAGE, COMPOSE_PROJECT_NAME: PROJECT, COMPOSE_PROFILES: 'sandbox' };
  const figures: Record<string, number> = {};
  let timings: BuildTimings = {};
  let connection: Connection | undefined;
  let client: Client;
  let runtime: ConnectorsRuntime;
  const compose = (args: string[], timeoutMs = 600_000, onOutput?: (soFar: string) => void) => runAsync('docker', ['compose', '-f', join(ROOT, 'docker-compose.yml'), ...args], timeoutMs, onOutput, env);
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
    for (const name of ['TEMPORAL', 'WEBHOOK', 'CODEC', 'SANDBOX_LUCCA', 'SANDBOX_ELEVO', 'SANDBOX_AEQUIVALENT']) env[`LUCCA_CONNECTORS_${name}_PORT`] = String(await freePort());
    const up = await timed('upSeconds', () => compose(['up', '-d'], 1_200_000));
    if (up.code !== 0) throw new Error(`compose up failed: ${up.output.slice(-4000)}\n${(await compose(['logs', '--tail', '40'])).output.slice(-6000)}`);
    const loaded = loadConfig(join(ROOT, 'config/compose-sandbox.yaml'));
    runtime = buildRuntime({ loaded, settings: { temporalAddress: `127.0.0.1:${env.LUCCA_CONNECTORS_TEMPORAL_PORT}` } });
    connection = await Connection.connect({ address: `127.0.0.1:${env.LUCCA_CONNECTORS_TEMPORAL_PORT}` });
    client = new Client({ connection, namespace: loaded.config.temporal.namespace, dataConverter: runtime.dataConverter });
  }, 3_600_000);

  afterAll(async () => {
    process.stdout.write(`[compose] build ${JSON.stringify(timings)} ${JSON.stringify(figures)}\n`);
    await connection?.close();
    await compose(['down', '-v', '--remove-orphans', '-t', '30'], 300_000);
  }, 600_000);

  /** `run <tenant> <connector> --wait` through the CLI container; the workflow id it printed. */
  async function runThroughCli(tenant: string, connector: string): Promise<string> {
    const run = await cli(['run', tenant, connector, '--wait']);
    if (run.code !== 0) throw new Error(`run ${tenant} ${connector} failed: ${run.output.slice(-3000)}`);
    return /started (\S+)/.exec(run.output)![1]!;
  }

  it('runs a sync and an order: the sync completes, the order follows its dossier to the end through the webhook receiver', async () => {
    const syncId = await timed('syncSeconds', () => runThroughCli('acme', 'elevo-user-sync'));
    const sync = (await client.workflow.getHandle(syncId).result()) as ElevoSyncResult;
    expect(sync.status).toBe('completed');
    expect(sync.failed).toBe(0);
    const intakeId = await runThroughCli('acme', 'aequivalent-screening');
    const intake = (await client.workflow.getHandle(intakeId).result()) as ScreeningIntakeResult;
    const orders = [...intake.started, ...intake.restarted, ...intake.joined];
    expect(orders.length).toBeGreaterThan(0);
    // The sandbox's dossiers advance every 20 s; the first order completes once its report is in.
    const first = await timed('orderSeconds', () => client.workflow.getHandle(orders[0]!).result());
    expect(first).toBeDefined();
    expect((await client.workflow.getHandle(orders[0]!).describe()).status.name).toBe('COMPLETED');
    const webhookLog = (await compose(['logs', 'webhooks'])).output;
    expect(webhookLog).toMatch(/webhook receiver started/);
  }, 1_800_000);

  it('scales the workers to 3: three containers, three pollers of the task queue', async () => {
    const scaled = await timed('scaleSeconds', () => compose(['up', '-d', '--no-recreate', '--scale', 'worker=3'], 600_000));
    expect(scaled.code).toBe(0);
    expect(docker(['ps', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`, '--filter', 'label=com.docker.compose.service=worker']).trim().split('\n')).toHaveLength(3);
    let identities = new Set<string>();
    for (let i = 0; i < 120 && identities.size < 3; i++) {
      const described = await client.workflowService.describeTaskQueue({ namespace: runtime.settings.namespace, taskQueue: { name: runtime.settings.taskQueue }, taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY });
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
