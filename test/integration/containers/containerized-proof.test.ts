import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActivityNotFoundError, type Client, type Connection } from '@temporalio/client';
import { loadConfig } from '../../../src/config/load-config';
import { buildRuntime, type ConnectorsRuntime } from '../../../src/runtime/connectors-runtime';
import { connectClient } from '../../../src/runtime/temporal-connection';
import { elevoSyncProgressQuery, type ElevoSyncProgress, type ElevoSyncResult } from '../../../src/connectors/elevo-user-sync/contract';
import type { ScreeningIntakeResult } from '../../../src/connectors/aequivalent-screening/contract';
import { elevoDuplicates, elevoFingerprint, fingerprintDifferences } from '../../reliability/support/elevo-state';
import { RELIABILITY_TODAY, startReliabilityWorld, type ReliabilityWorld } from '../../reliability/support/reliability-world';
import { driveDossiersToReport, orderFingerprints, screeningDuplicates } from '../../reliability/support/screening-state';
import { activityExecutions, failureMessage, type ActivityExecution } from '../../support/activity-executions';
import {
  buildProductImage,
  ConnectorContainer,
  describeWithContainerEngine,
  PRODUCT_IMAGE,
  removeContainers,
  runAsync,
  runFlags,
  type BuildTimings,
} from '../../support/containers';
import { freePort } from '../../support/free-port';
import { startPostgresServer, type PostgresServer } from '../../support/postgres-server';
import { RealTemporalServer } from '../../support/real-temporal-server';

const T = 'acme';
const CONTROL = 'control';
const EMPLOYEES = 600;
const BATCH_SIZE = 50;
const LUCCA_PER_MINUTE = 20;
const KILLED = 'worker killed (docker kill -s KILL)';
/** The shared Lucca budget's back-pressure: a designed, retryable wait (docs/lucca-budget.md), not a failure. */
const BUDGET_BUSY = /^Lucca request budget busy/;
const RUN = `lc-proof-${randomBytes(3).toString('hex')}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The production proof (test/integration/production/production-proof.test.ts) with every connector
 * process in a container of the image built from the repo's Dockerfile: `setup`, two workers, the
 * webhook receiver, the codec server and every CLI command, each as user `node` under tini, the
 * config mounted read-only and no other mount (no shared volume: the store is PostgreSQL). The
 * Temporal server (built from source, on PostgreSQL) and the simulators run on the host; the
 * containers share the host's network to reach them. One worker container is SIGKILLed by the
 * engine while it applies a batch.
 */
describeWithContainerEngine('production proof in containers: the image runs every connector process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-containers-'));
  const configDir = join(dir, 'config');
  let timings: BuildTimings = {};
  let world: ReliabilityWorld;
  let postgres: PostgresServer;
  let server: RealTemporalServer;
  let runtime: ConnectorsRuntime;
  let client: Client;
  let connection: Connection;
  let env: Record<string, string>;
  let codecPort: number;
  const codecToken = randomBytes(24).toString('hex');
  const workers: ConnectorContainer[] = [];
  const retired: ConnectorContainer[] = [];
  const services: ConnectorContainer[] = [];
  const machineOf = new Map<ConnectorContainer, string>();
  const figures: Record<string, unknown> = {};
  let generation = 0;

  /** A CLI command in a container of its own (`docker run --rm`), as an operator runs it. */
  const cli = (args: string[], onOutput?: (soFar: string) => void) =>
    runAsync(
      'docker',
      [
        'run',
        '--rm',
        '--name',
        `${RUN}-cli-${++generation}`,
        ...runFlags({ name: `${RUN}-cli`, configDir, env }),
        PRODUCT_IMAGE,
        'node',
        'dist/client.js',
        ...args,
      ],
      600_000,
      onOutput,
    );

  /** A worker container of machine `a` or `b`; a machine back after a crash is a new container (new host name). */
  const newWorker = async (machine: string): Promise<ConnectorContainer> => {
    const worker = new ConnectorContainer({
      name: `${RUN}-worker-${machine}-${++generation}`,
      command: ['node', 'dist/worker.js'],
      configDir,
      env: {
        ...env,
        LUCCA_CONNECTORS_HEALTH_PORT: String(await freePort()),
        LUCCA_CONNECTORS_METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
      },
      readyMarker: '"worker started"',
    });
    machineOf.set(worker, machine);
    return worker;
  };
  /** Which worker container a Temporal identity (`<pid>@<hostname>`) belongs to. */
  const workerOf = (identity: string) => [...workers, ...retired].find((w) => identity.endsWith(`@${w.name}`));

  beforeAll(async () => {
    timings = await buildProductImage();
    const webhookPort = await freePort();
    world = await startReliabilityWorld(
      [
        {
          id: T,
          seed: 7,
          employees: EMPLOYEES,
          elevo: { batchSize: BATCH_SIZE },
          screening: { screeningRatio: 0.02, pollIntervalMinutes: 0.05 },
        },
        { id: CONTROL, seed: 7, employees: EMPLOYEES, elevo: { batchSize: BATCH_SIZE } },
      ],
      { webhookUrlFor: (tenantId) => `http://127.0.0.1:${webhookPort}/webhooks/aequivalent/${tenantId}` },
    );
    world.lucca.setRateLimit(T, LUCCA_PER_MINUTE);
    world.elevo.setFaults(T, { latencyMs: 50 });
    postgres = await startPostgresServer();
    await postgres.createDatabase('lucca_connectors');
    server = await RealTemporalServer.start({ postgres });
    codecPort = await freePort();
    writeConfig(configDir, world, postgres, codecPort, codecToken);
    env = {
      LUCCA_CONNECTORS_CONFIG: '/app/config/config.yaml',
      LUCCA_CONNECTORS_TEMPORAL_ADDRESS: server.address,
      LUCCA_CONNECTORS_DATA_DIR: '/data',
      LUCCA_CONNECTORS_OPERATOR: 'container-proof@ops',
    };
    const started = Date.now();
    const setup = await cli(['setup']);
    if (setup.code !== 0) throw new Error(`setup failed: ${setup.output}`);
    figures.setupSeconds = Math.round((Date.now() - started) / 1000);
    runtime = buildRuntime({ loaded: loadConfig(join(configDir, 'config.yaml')), settings: { temporalAddress: server.address } });
    ({ client, connection } = await connectClient(runtime));
    world.setClient(client);
    const webhooks = new ConnectorContainer({
      name: `${RUN}-webhooks`,
      command: ['node', 'dist/webhooks/start-webhook-receiver.js'],
      configDir,
      env: { ...env, LUCCA_CONNECTORS_WEBHOOK_PORT: String(webhookPort) },
      readyMarker: 'webhook receiver started',
    });
    const codec = new ConnectorContainer({
      name: `${RUN}-codec`,
      command: ['node', 'dist/codec/start-codec-server.js'],
      configDir,
      env,
      readyMarker: '[codec-server] listening',
    });
    services.push(webhooks, codec);
    workers.push(await newWorker('a'), await newWorker('b'));
    const containersStarted = Date.now();
    await Promise.all([...services, ...workers].map((c) => c.start()));
    figures.containersReadySeconds = Math.round((Date.now() - containersStarted) / 1000);
  }, 3_600_000);

  afterAll(async () => {
    process.stdout.write(`[container proof] build ${JSON.stringify(timings)} ${JSON.stringify(figures)}\n`);
    await Promise.all([...workers, ...services].map((c) => c.stop()));
    removeContainers([...workers, ...retired, ...services].map((c) => c.name));
    await connection?.close();
    await runtime?.close();
    await server?.stop();
    await postgres?.stop();
    await world?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 300_000);

  it('runs each connector process as user node under tini, with the config read-only and no other mount', () => {
    for (const container of [...services, ...workers]) {
      const { user, mounts, pid1 } = container.inspect();
      expect(`${container.name}: ${user}`).toBe(`${container.name}: node`);
      expect(pid1).toMatch(/^\/usr\/bin\/tini -- node dist\//);
      expect(mounts).toEqual([expect.objectContaining({ Type: 'bind', Destination: '/app/config', RW: false })]);
    }
  });

  async function syncThroughCli(
    tenantId: string,
    during?: (workflowId: string) => Promise<void>,
  ): Promise<{ workflowId: string; result: ElevoSyncResult }> {
    let announced: (id: string) => void = () => undefined;
    const workflowId = new Promise<string>((r) => (announced = r));
    const run = cli(['run', tenantId, 'elevo-user-sync', '--date', RELIABILITY_TODAY, '--wait'], (out) => {
      const match = /started (\S+)/.exec(out);
      if (match) announced(match[1]!);
    });
    const id = await Promise.race([workflowId, run.then((r) => Promise.reject(new Error(`run exited before starting: ${r.output}`)))]);
    if (during) await during(id);
    const finished = await run;
    if (finished.code !== 0) throw new Error(`run ${id} failed: ${finished.output.slice(-3000)}`);
    return { workflowId: id, result: (await client.workflow.getHandle(id).result()) as ElevoSyncResult };
  }

  async function refuseUnexpectedRetries(workflowId: string): Promise<void> {
    const description = await client.workflow.getHandle(workflowId).describe();
    for (const pending of description.raw.pendingActivities ?? []) {
      if ((pending.attempt ?? 1) <= 1 || !pending.lastFailure) continue;
      const reason = await failureMessage(pending.lastFailure, runtime.codec);
      if (reason !== KILLED && !BUDGET_BUSY.test(reason))
        throw new Error(`${pending.activityType?.name} is on attempt ${pending.attempt}: ${reason}`);
    }
  }

  const progressOf = (workflowId: string) =>
    client.workflow
      .getHandle(workflowId)
      .query(elevoSyncProgressQuery)
      .catch(() => undefined as ElevoSyncProgress | undefined);

  /** `docker kill -s KILL` on the worker container applying a batch (one that already completed a batch), as the proof does with a process. */
  async function killTheWorkerApplyingABatch(workflowId: string): Promise<void> {
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      await refuseUnexpectedRetries(workflowId);
      const progress = await progressOf(workflowId);
      if (progress?.status === 'applying' && progress.batchesDone >= 2) {
        const completedOn = new Set(
          (await activityExecutions(client, workflowId, runtime.codec))
            .filter((a) => a.activityType === 'applyElevoSyncBatch' && a.outcome === 'completed')
            .map((a) => a.identity),
        );
        const description = await client.workflow.getHandle(workflowId).describe();
        const inFlight = (description.raw.pendingActivities ?? []).find(
          (a) => a.activityType?.name === 'applyElevoSyncBatch' && Number(a.state) === 2 && a.lastWorkerIdentity,
        );
        const victim = inFlight && workerOf(inFlight.lastWorkerIdentity!);
        if (inFlight && victim && completedOn.has(inFlight.lastWorkerIdentity!)) {
          await victim.kill();
          // The server would notice after the batch's heartbeat timeout; fail the lost attempt at once.
          const interrupted = await client.activity
            .fail({ workflowId, runId: description.runId, activityId: inFlight.activityId! }, new Error(KILLED))
            .then(
              () => true,
              (err: unknown) => {
                if (err instanceof ActivityNotFoundError) return false; // it finished just before the kill
                throw err;
              },
            );
          workers.splice(workers.indexOf(victim), 1);
          retired.push(victim);
          const reborn = await newWorker(machineOf.get(victim)!);
          workers.push(reborn);
          await reborn.start();
          if (!interrupted) continue; // nothing was cut short: kill the worker of a later batch
          figures.killedDuringBatch = progress.batchesDone + 1;
          return;
        }
      }
      await sleep(50);
    }
    throw new Error('the apply phase never had a batch in flight to interrupt');
  }

  let chaosRun: { workflowId: string; result: ElevoSyncResult };
  let chaosActivities: ActivityExecution[];

  it('an Elevo sync survives a worker container killed by the engine, on both workers, with no storage failure', async () => {
    const control = await syncThroughCli(CONTROL);
    expect(control.result.status).toBe('completed');
    const syncStarted = Date.now();
    chaosRun = await syncThroughCli(T, (workflowId) => killTheWorkerApplyingABatch(workflowId));
    figures.syncSeconds = Math.round((Date.now() - syncStarted) / 1000);
    expect(chaosRun.result.status).toBe('completed');
    expect(chaosRun.result.failed).toBe(0);
    const actual = elevoFingerprint(world.elevo.users(T));
    expect(fingerprintDifferences(elevoFingerprint(world.elevo.users(CONTROL)), actual)).toEqual([]);
    expect(actual.length).toBeGreaterThan(EMPLOYEES * 0.8);
    expect(elevoDuplicates(world.elevo.users(T))).toBe(0);

    chaosActivities = await activityExecutions(client, chaosRun.workflowId, runtime.codec);
    const batches = chaosActivities.filter((a) => a.activityType === 'applyElevoSyncBatch');
    const perMachine = new Map<string, number>();
    for (const b of batches) {
      const worker = workerOf(b.identity);
      expect(`${b.identity}: ${worker !== undefined}`).toBe(`${b.identity}: true`);
      perMachine.set(machineOf.get(worker!)!, (perMachine.get(machineOf.get(worker!)!) ?? 0) + 1);
    }
    figures.batches = batches.length;
    figures.batchesPerMachine = Object.fromEntries(perMachine);
    expect(batches.length).toBeGreaterThanOrEqual(10);
    expect(batches.every((b) => b.outcome === 'completed')).toBe(true);
    expect([...perMachine.keys()].sort()).toEqual(['a', 'b']);
    expect(
      chaosActivities.filter((a) => a.attempt > 1 && !BUDGET_BUSY.test(a.previousFailure ?? '')).map((a) => a.previousFailure),
    ).toEqual([KILLED]);
  }, 1_200_000);

  it('`report` works from a CLI container, which shares no disk with the workers', async () => {
    const report = await cli(['report', chaosRun.workflowId, '--format', 'json']);
    expect(report.code).toBe(0);
    const parsed = JSON.parse(report.output) as { summary: unknown[]; report: { lines?: unknown[] } };
    expect(parsed.summary.length).toBeGreaterThan(0);
    expect(parsed.report.lines?.length).toBeGreaterThan(EMPLOYEES * 0.8);
  }, 300_000);

  it("screening orders are placed exactly once, and Aequivalent's webhooks reach the receiver container", async () => {
    const intake = await cli(['run', T, 'aequivalent-screening', '--date', RELIABILITY_TODAY, '--wait']);
    expect(intake.code).toBe(0);
    const intakeId = /started (\S+)/.exec(intake.output)![1]!;
    const result = (await client.workflow.getHandle(intakeId).result()) as ScreeningIntakeResult;
    const orders = [...result.started, ...result.restarted, ...result.joined];
    expect(orders.length).toBeGreaterThan(0);
    const aequivalent = world.aequivalent.get(T)!;
    await driveDossiersToReport(client, aequivalent, T, orders, 300_000);
    const fingerprints = await orderFingerprints(client, store(), aequivalent, T, orders);
    for (const order of fingerprints) expect(order.dossiers).toBe(order.outcome === 'invalid' ? 0 : 1);
    expect(screeningDuplicates(aequivalent, T)).toBe(0);
    const deliveries = aequivalent.webhookDeliveries(T);
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.filter((d) => d.state === 'delivered').length).toBeGreaterThan(0);
    expect(services[0]!.output).toMatch(/webhook/i);
    figures.orders = orders.length;
    figures.webhooksDelivered = deliveries.filter((d) => d.state === 'delivered').length;
    figures.luccaRequests = world.lucca.stats(T).requests;
    expect(world.lucca.stats(T).rateLimited).toBe(0);
  }, 900_000);

  it("the codec server container decodes the run's payloads for a caller with its token, and only for one", async () => {
    const history = await client.workflowService.getWorkflowExecutionHistory({
      namespace: runtime.settings.namespace,
      execution: { workflowId: chaosRun.workflowId },
    });
    const input = history.history!.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    const body = JSON.stringify({
      payloads: [
        {
          metadata: Object.fromEntries(Object.entries(input.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
          data: Buffer.from(input.data!).toString('base64'),
        },
      ],
    });
    const post = (token: string) =>
      fetch(`http://127.0.0.1:${codecPort}/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-namespace': runtime.settings.namespace },
        body,
      });
    expect((await post('not-the-token')).status).toBe(401);
    const decoded = await post(codecToken);
    expect(decoded.status).toBe(200);
    const [payload] = ((await decoded.json()) as { payloads: Array<{ metadata: Record<string, string> }> }).payloads;
    expect(Buffer.from(payload!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
  });

  const store = () => world.store(T);
});

/** The config directory the containers mount read-only: readable by the image's user `node` (uid 1000), secrets as files. */
function writeConfig(configDir: string, world: ReliabilityWorld, postgres: PostgresServer, codecPort: number, codecToken: string): void {
  mkdirSync(configDir, { recursive: true });
  writeFileSync(join(configDir, 'payload.key'), randomBytes(32).toString('base64'));
  writeFileSync(join(configDir, 'store-url.secret'), postgres.url('lucca_connectors'));
  writeFileSync(join(configDir, 'codec.token'), codecToken);
  writeFileSync(
    join(configDir, 'config.yaml'),
    [
      'encryption:',
      '  keys: [ { id: k1, key: "file:payload.key" } ]',
      `  codecServer: { port: ${codecPort}, tokens: [ { name: proof-cli, token: "file:codec.token" } ], allowedOrigin: [ "http://localhost:8233" ] }`,
      'storage: { kind: postgres, url: "file:store-url.secret" }',
      'temporal: { namespace: proof, taskQueue: proof, retentionDays: 1 }',
      'limits: { minPollIntervalMinutes: 0.01 }',
      'tenants:',
      // The proof drives its syncs from the CLI: no change feed starting syncs of its own (docs/freshness.md).
      world
        .tenantsYaml(configDir)
        .replace(/requestsPerMinute: 50/g, `requestsPerMinute: ${LUCCA_PER_MINUTE}`)
        .replace(/^ {4}timeZone: Europe\/Paris$/gm, '    timeZone: Europe/Paris\n    freshness: { enabled: false }'),
    ].join('\n'),
  );
  chmodSync(join(configDir, '..'), 0o755);
  chmodSync(configDir, 0o755);
  for (const file of readdirSync(configDir)) chmodSync(join(configDir, file), 0o644);
}
