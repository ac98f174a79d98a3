import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../../src/config/load-config';
import { buildRuntime, type ConnectorsRuntime } from '../../../src/runtime/connectors-runtime';
import { connectClient } from '../../../src/runtime/temporal-connection';
import { buildWorkflowBundle } from '../../../src/runtime/workflow-bundle';
import { GENERATED_CODES } from '../../../dev/simulators/lucca';
import { elevoSyncProgressQuery, type ElevoSyncProgress, type ElevoSyncResult } from '../../../src/connectors/elevo-user-sync/contract';
import type { ScreeningIntakeResult } from '../../../src/connectors/aequivalent-screening/contract';
import { elevoDuplicates, elevoFingerprint, fingerprintDifferences } from '../../reliability/support/elevo-state';
import { RELIABILITY_TODAY, startReliabilityWorld, type ReliabilityWorld } from '../../reliability/support/reliability-world';
import { driveDossiersToReport, orderFingerprints, screeningDuplicates } from '../../reliability/support/screening-state';
import { activityExecutions, failureMessage, type ActivityExecution } from '../../support/activity-executions';
import { freePort } from '../../support/free-port';
import { startPostgresServer, type PostgresServer } from '../../support/postgres-server';
import { ProgramProcess, runProgram, type ProgramRun } from '../../support/project-process';
import { RealTemporalServer } from '../../support/real-temporal-server';
import { operatorsYaml, TEST_OPERATOR } from '../../support/test-operator';

const T = 'acme';
const CONTROL = 'control';
const EMPLOYEES = 1_200;
const BATCH_SIZE = 100;
const LUCCA_PER_MINUTE = 15;
/** How the server fails the attempt of a SIGKILLed worker: its heartbeats stop. */
const HEARTBEAT_TIMED_OUT = /heartbeat timeout/i;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The production promise, proven as users run it: the real Temporal server on PostgreSQL, two
 * worker processes that share no disk (each its own data directory: two machines), the CLI in a
 * third process. An Elevo sync of 1,200 employees in 12 batches runs on both workers while one is
 * SIGKILLed during the apply phase (its batch is retried on another worker once its heartbeats stop:
 * the recovery figure) and the Temporal server restarts; it ends in the state of a
 * fault-free run, with no storage failure and no duplicate. `report` works from the CLI, the
 * population-drop check sees the previous run whichever worker finalised it, screening orders are
 * placed exactly once, and the shared Lucca budget holds across both workers.
 */
describe('production, proven: real server on PostgreSQL, two workers without a shared disk, the CLI apart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-proof-'));
  let world: ReliabilityWorld;
  let postgres: PostgresServer;
  let server: RealTemporalServer;
  let runtime: ConnectorsRuntime;
  let client: Client;
  let connection: Connection;
  let env: Record<string, string>;
  const workers: ProgramProcess[] = [];
  const retired: ProgramProcess[] = [];
  /** Each worker process's machine: `a` or `b`; a machine restarted after a crash keeps its name and its disk. */
  const machineOf = new Map<ProgramProcess, string>();
  /** Each worker process's Prometheus endpoint. */
  const metricsOf = new Map<ProgramProcess, string>();
  const figures: Record<string, unknown> = {};
  const started = Date.now();

  const cli = (args: string[], onOutput?: (soFar: string) => void): Promise<ProgramRun> =>
    runProgram('src/client.ts', args, env, 300_000, onOutput);
  /** A worker as a process of its own, with its machine's data directory, health and metrics ports. */
  const newWorker = async (machine: string): Promise<ProgramProcess> => {
    const dataDir = join(dir, `machine-${machine}`);
    mkdirSync(dataDir, { recursive: true });
    const metricsAddress = `127.0.0.1:${await freePort()}`;
    const worker = new ProgramProcess(
      'src/worker.ts',
      {
        ...env,
        LUCCA_CONNECTORS_DATA_DIR: dataDir,
        LUCCA_CONNECTORS_HEALTH_PORT: String(await freePort()),
        LUCCA_CONNECTORS_METRICS_ADDRESS: metricsAddress,
      },
      '"worker started"',
    );
    machineOf.set(worker, machine);
    metricsOf.set(worker, `http://${metricsAddress}/metrics`);
    return worker;
  };
  /** Which worker process an identity (`<pid>@<host>`) belongs to. */
  const workerOf = (identity: string) => [...workers, ...retired].find((w) => identity.startsWith(`${w.pid}@`));

  beforeAll(async () => {
    world = await startReliabilityWorld([
      {
        id: T,
        seed: 7,
        employees: EMPLOYEES,
        elevo: { batchSize: BATCH_SIZE },
        screening: { screeningRatio: 0.01, pollIntervalMinutes: 0.05 },
      },
      { id: CONTROL, seed: 7, employees: EMPLOYEES, elevo: { batchSize: BATCH_SIZE } },
    ]);
    // Lucca's per-domain limit, enforced by the simulator; the config asks for the same budget.
    world.lucca.setRateLimit(T, LUCCA_PER_MINUTE);
    // Elevo answering in ~50 ms per write: a batch (100 writes, 8 at a time) lasts long enough to be caught in flight.
    world.elevo.setFaults(T, { latencyMs: 50 });
    postgres = await startPostgresServer();
    await postgres.createDatabase('lucca_connectors');
    server = await RealTemporalServer.start({ postgres });
    writeFileSync(join(dir, 'payload.key'), randomBytes(32).toString('base64'));
    writeFileSync(join(dir, 'store-url.secret'), postgres.url('lucca_connectors'));
    const configPath = join(dir, 'config.yaml');
    writeFileSync(
      configPath,
      [
        'encryption: { keys: [ { id: k1, key: "file:payload.key" } ] }',
        'storage: { kind: postgres, url: "file:store-url.secret" }',
        `temporal: { namespace: proof, taskQueue: proof, retentionDays: 1 }`,
        // Orders are followed every few seconds here, far under production's floor.
        'limits: { minPollIntervalMinutes: 0.01 }',
        // approve / reject are signed with an operator's key (issue 22): the CLI below holds the test operator's.
        operatorsYaml(),
        'tenants:',
        // The proof drives its syncs from the CLI: no change feed starting syncs of its own (docs/freshness.md).
        world
          .tenantsYaml(dir)
          .replace(/requestsPerMinute: 50/g, `requestsPerMinute: ${LUCCA_PER_MINUTE}`)
          .replace(/^ {4}timeZone: Europe\/Paris$/gm, '    timeZone: Europe/Paris\n    freshness: { enabled: false }'),
      ].join('\n'),
    );
    const operatorKeyFile = join(dir, 'operator.pem');
    writeFileSync(operatorKeyFile, TEST_OPERATOR.privateKeyPem, { mode: 0o600 });
    const bundlePath = join(dir, 'workflow-bundle.js');
    writeFileSync(bundlePath, await buildWorkflowBundle());
    env = {
      LUCCA_CONNECTORS_CONFIG: configPath,
      LUCCA_CONNECTORS_TEMPORAL_ADDRESS: server.address,
      LUCCA_CONNECTORS_WORKFLOW_BUNDLE: bundlePath,
      LUCCA_CONNECTORS_DATA_DIR: join(dir, 'machine-cli'),
      LUCCA_CONNECTORS_OPERATOR: 'proof-test@ops',
      LUCCA_CONNECTORS_OPERATOR_KEY_FILE: operatorKeyFile,
    };

    const setup = await cli(['setup']);
    if (setup.code !== 0) throw new Error(`setup failed: ${setup.output}`);
    runtime = buildRuntime({ loaded: loadConfig(configPath), settings: { temporalAddress: server.address } });
    ({ client, connection } = await connectClient(runtime));
    world.setClient(client);
    workers.push(await newWorker('a'), await newWorker('b'));
    await Promise.all(workers.map((w) => w.start()));
  }, 300_000);

  afterAll(async () => {
    figures.totalSeconds = Math.round((Date.now() - started) / 1000);
    process.stdout.write(`[production proof] ${JSON.stringify(figures)}\n`);
    await Promise.all(workers.map((w) => w.stop()));
    await connection?.close();
    await runtime?.close();
    await server?.stop();
    await postgres?.stop();
    await world?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `run <tenant> elevo-user-sync --wait` in the CLI process; `during` sees the workflow id once printed. */
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
    // The CLI prints a summary for people; the result itself is read from Temporal (same run).
    return { workflowId: id, result: (await client.workflow.getHandle(id).result()) as ElevoSyncResult };
  }

  /**
   * Fails at once, naming the reason, when an activity is being retried for anything but our kill
   * (e.g. a worker that cannot read what another one stored), instead of waiting for a timeout.
   */
  async function refuseUnexpectedRetries(workflowId: string): Promise<void> {
    const description = await client.workflow.getHandle(workflowId).describe();
    for (const pending of description.raw.pendingActivities ?? []) {
      if ((pending.attempt ?? 1) <= 1 || !pending.lastFailure) continue;
      const reason = await failureMessage(pending.lastFailure, runtime.codec);
      if (pending.activityId !== killedActivityId || !HEARTBEAT_TIMED_OUT.test(reason))
        throw new Error(`${pending.activityType?.name} is on attempt ${pending.attempt}: ${reason}`);
    }
  }

  const progressOf = (workflowId: string) =>
    client.workflow
      .getHandle(workflowId)
      .query(elevoSyncProgressQuery)
      .catch(() => undefined as ElevoSyncProgress | undefined);

  let killedActivityId: string | undefined;

  /**
   * SIGKILLs a worker while it applies a batch (once two are done, one of them by this worker); the
   * machine comes back as a new process. Nothing tells the server: it notices when the batch's
   * heartbeats stop (its heartbeat timeout) and retries it on a live worker.
   */
  async function killTheWorkerApplyingABatch(workflowId: string): Promise<void> {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      await refuseUnexpectedRetries(workflowId);
      const progress = await progressOf(workflowId);
      if (progress?.status === 'applying' && progress.batchesDone >= 2) {
        // A machine that already completed a batch: the batches then provably ran on both machines,
        // since the interrupted one must be retried elsewhere while this machine is down.
        const completedOn = new Set(
          (await activityExecutions(client, workflowId, runtime.codec))
            .filter((a) => a.activityType === 'applyElevoSyncBatch' && a.outcome === 'completed')
            .map((a) => a.identity),
        );
        // Described last, so the kill follows the sighting of the batch in flight within milliseconds.
        const description = await client.workflow.getHandle(workflowId).describe();
        const inFlight = (description.raw.pendingActivities ?? []).find(
          (a) => a.activityType?.name === 'applyElevoSyncBatch' && Number(a.state) === 2 && a.lastWorkerIdentity,
        );
        const victim = inFlight && workerOf(inFlight.lastWorkerIdentity!);
        if (inFlight && victim && completedOn.has(inFlight.lastWorkerIdentity!)) {
          await victim.kill();
          const killedAt = Date.now();
          killedActivityId = inFlight.activityId!;
          figures.killedDuringBatch = progress.batchesDone + 1;
          workers.splice(workers.indexOf(victim), 1);
          retired.push(victim);
          const reborn = await newWorker(machineOf.get(victim)!);
          workers.push(reborn);
          await reborn.start();
          await measureRecovery(workflowId, killedActivityId, killedAt);
          return;
        }
      }
      await sleep(50);
    }
    throw new Error('the apply phase never had a batch in flight to interrupt');
  }

  /**
   * The recovery figure, printed and not asserted (the machine is shared): seconds from the SIGKILL
   * to the batch's next attempt running on a live worker, and to that batch completing.
   */
  async function measureRecovery(workflowId: string, activityId: string, killedAt: number): Promise<void> {
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      const pending = (await client.workflow.getHandle(workflowId).describe()).raw.pendingActivities?.find(
        (a) => a.activityId === activityId,
      );
      if (pending && (pending.attempt ?? 1) > 1 && Number(pending.state) === 2 && figures.recoverySecondsToRetry === undefined) {
        figures.recoverySecondsToRetry = Math.round((Date.now() - killedAt) / 100) / 10;
      }
      if (!pending) {
        figures.recoverySecondsToBatchDone = Math.round((Date.now() - killedAt) / 100) / 10;
        return;
      }
      await sleep(100);
    }
    throw new Error('the killed batch was never retried and completed');
  }

  async function restartTemporalWhenHalfApplied(workflowId: string): Promise<void> {
    for (let i = 0; i < 2400; i++) {
      await refuseUnexpectedRetries(workflowId);
      const progress = await progressOf(workflowId);
      if (progress && progress.batchesTotal > 0 && progress.batchesDone >= progress.batchesTotal / 2) {
        await server.restart();
        figures.temporalRestartedAfterBatch = progress.batchesDone;
        return;
      }
      await sleep(100);
    }
    throw new Error('the run never reached half of its batches');
  }

  let chaosRun: { workflowId: string; result: ElevoSyncResult };
  let chaosActivities: ActivityExecution[];

  it('an Elevo sync of 1,200 employees survives a SIGKILLed worker and a Temporal restart, on both workers, with no storage failure', async () => {
    const control = await syncThroughCli(CONTROL);
    expect(control.result.status).toBe('completed');
    const syncStarted = Date.now();
    chaosRun = await syncThroughCli(T, async (workflowId) => {
      await killTheWorkerApplyingABatch(workflowId);
      await restartTemporalWhenHalfApplied(workflowId);
    });
    figures.syncSeconds = Math.round((Date.now() - syncStarted) / 1000);
    expect(chaosRun.result.status).toBe('completed');
    expect(chaosRun.result.failed).toBe(0);

    // The fault-free final state, and no one twice.
    const actual = elevoFingerprint(world.elevo.users(T));
    expect(fingerprintDifferences(elevoFingerprint(world.elevo.users(CONTROL)), actual)).toEqual([]);
    expect(actual.length).toBeGreaterThan(1_000);
    expect(elevoDuplicates(world.elevo.users(T))).toBe(0);

    // From the history: who ran each batch, in how many attempts, and why an attempt was repeated.
    chaosActivities = await activityExecutions(client, chaosRun.workflowId, runtime.codec);
    const batches = chaosActivities.filter((a) => a.activityType === 'applyElevoSyncBatch');
    const perMachine = new Map<string, number>();
    const perProcess = new Map<string, number>();
    for (const b of batches) {
      const worker = workerOf(b.identity);
      expect(worker).toBeDefined();
      const machine = worker ? machineOf.get(worker)! : '?';
      perMachine.set(machine, (perMachine.get(machine) ?? 0) + 1);
      perProcess.set(`${machine} (pid ${worker?.pid})`, (perProcess.get(`${machine} (pid ${worker?.pid})`) ?? 0) + 1);
    }
    figures.batches = batches.length;
    figures.batchesPerMachine = Object.fromEntries(perMachine);
    figures.batchesPerProcess = Object.fromEntries(perProcess);
    figures.attempts = batches.reduce((sum, b) => sum + b.attempt, 0);
    expect(batches.length).toBeGreaterThanOrEqual(10);
    expect(batches.every((b) => b.outcome === 'completed')).toBe(true);
    // Both machines executed batches (each prepared by whichever machine planned the run).
    expect([...perMachine.keys()].sort()).toEqual(['a', 'b']);
    // Every repeated attempt is the one we killed, failed by its heartbeat timeout (only the server
    // noticed the kill): none failed because a worker could not read the store.
    const repeated = chaosActivities.filter((a) => a.attempt > 1);
    figures.repeatedAttempts = repeated.map((a) => ({ activity: a.activityType, attempt: a.attempt, because: a.previousFailure }));
    expect(repeated.map((a) => a.activityId)).toEqual([killedActivityId]);
    expect(repeated[0]!.previousFailure).toMatch(HEARTBEAT_TIMED_OUT);
    expect(server.restarts).toBe(1);
  }, 600_000);

  it('`report` works from the CLI process, which shares no disk with the workers', async () => {
    const report = await cli(['report', chaosRun.workflowId, '--format', 'json']);
    expect(report.code).toBe(0);
    const parsed = JSON.parse(report.output) as { summary: unknown[]; report: { counts?: Record<string, number>; lines?: unknown[] } };
    expect(parsed.summary.length).toBeGreaterThan(0);
    expect(parsed.report.lines?.length).toBeGreaterThan(1_000);
  });

  it('the population-drop check sees the previous run, though another worker finalised it', async () => {
    const finalize = chaosActivities.find((a) => a.activityType === 'finalizeElevoSyncRun')!;
    const finaliser = workerOf(finalize.identity)!;
    expect(finaliser).toBeDefined();
    // Take the finalising machine away: the next run can only be prepared on the other one.
    if (finaliser.running) await finaliser.stop();
    const store = world.store(T);
    const leaving = [...store.users.values()].slice(0, Math.round(EMPLOYEES * 0.3));
    for (const user of leaving) store.deleteUser(user.id);

    let heldId = '';
    const run = cli(['run', T, 'elevo-user-sync', '--date', RELIABILITY_TODAY], (out) => {
      const match = /started (\S+)/.exec(out);
      if (match) heldId = match[1]!;
    });
    expect((await run).code).toBe(0);
    let progress: ElevoSyncProgress | undefined;
    for (let i = 0; i < 600 && progress?.status !== 'held'; i++) {
      await sleep(200);
      progress = await progressOf(heldId);
    }
    expect(progress?.status).toBe('held');
    expect(progress!.holdReasons.map((r) => r.code)).toContain('population-dropped');
    const prepare = (await activityExecutions(client, heldId, runtime.codec)).find((a) => a.activityType === 'prepareElevoSyncPlan')!;
    figures.dropCheck = { finalisedOn: machineOf.get(finaliser), preparedOn: machineOf.get(workerOf(prepare.identity)!) };
    expect(machineOf.get(workerOf(prepare.identity)!)).not.toBe(machineOf.get(finaliser));
    expect((await cli(['reject', heldId])).code).toBe(0); // recorded as LUCCA_CONNECTORS_OPERATOR (set in env)
    if (!finaliser.running && workers.includes(finaliser)) await finaliser.start();
  }, 300_000);

  it('a screening intake places each order exactly once, and the shared Lucca budget held with both workers', async () => {
    const store = world.store(T);
    const toOrder = [...store.users.values()].filter((u) => {
      const entry = store.getExtendedValue(u.id, GENERATED_CODES.orderStatus);
      return (
        entry && !Array.isArray(entry) && store.listEntryLabel(GENERATED_CODES.orderStatus, Number(entry.value)) === 'Dossier à commander'
      );
    });
    expect(toOrder.length).toBeGreaterThan(0);
    const intake = await cli(['run', T, 'aequivalent-screening', '--date', RELIABILITY_TODAY, '--wait']);
    expect(intake.code).toBe(0);
    const intakeId = /started (\S+)/.exec(intake.output)![1]!;
    const result = (await client.workflow.getHandle(intakeId).result()) as ScreeningIntakeResult;
    const orders = [...result.started, ...result.restarted, ...result.joined];
    expect(orders.length).toBe(toOrder.length);
    const aequivalent = world.aequivalent.get(T)!;
    await driveDossiersToReport(client, aequivalent, T, orders);
    const fingerprints = await orderFingerprints(client, store, aequivalent, T, orders);
    for (const order of fingerprints) expect(order.dossiers).toBe(order.outcome === 'invalid' ? 0 : 1);
    expect(screeningDuplicates(aequivalent, T)).toBe(0);
    // A second intake finds nothing left to order: still one dossier per order.
    const dossiers = aequivalent.dossiers(T).length;
    expect((await cli(['run', T, 'aequivalent-screening', '--date', RELIABILITY_TODAY, '--wait'])).code).toBe(0);
    expect(aequivalent.dossiers(T).length).toBe(dossiers);
    figures.orders = orders.length;
    figures.dossiers = dossiers;

    const lucca = world.lucca.stats(T);
    figures.luccaRequests = lucca.requests;
    expect(lucca.requests).toBeGreaterThan(LUCCA_PER_MINUTE); // more than one minute's budget
    expect(lucca.rateLimited).toBe(0);
  }, 300_000);

  it('the workers export what the dashboard and the alert rules read (SDK and connector metrics)', async () => {
    const names = new Set<string>();
    for (const worker of workers.filter((w) => w.running)) {
      const text = await (await fetch(metricsOf.get(worker)!)).text();
      for (const line of text.split('\n')) if (line && !line.startsWith('#')) names.add(line.split(/[{ ]/)[0]!);
    }
    // What this scenario certainly produced: syncs, orders, Lucca and Elevo requests, a held run.
    const expected = [
      'temporal_num_pollers',
      'temporal_worker_task_slots_used',
      'temporal_worker_task_slots_available',
      'temporal_workflow_task_schedule_to_start_latency_bucket',
      'temporal_activity_schedule_to_start_latency_bucket',
      'temporal_activity_task_received',
      'temporal_workflow_completed',
      'lucca_connectors_http_responses',
      'lucca_connectors_lucca_budget_wait_bucket',
      'lucca_connectors_alerts',
    ];
    expect(expected.filter((n) => !names.has(n))).toEqual([]);
  });
});
