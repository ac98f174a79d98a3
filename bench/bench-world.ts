import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../src/config/load-config';
import { AequivalentSandbox } from '../dev/simulators/aequivalent';
import { ElevoSandbox } from '../dev/simulators/elevo';
import { LuccaSandbox } from '../dev/simulators/lucca';
import { ALL_SEARCH_ATTRIBUTES } from '../src/shared/search-attributes';
import { temporalCliPath } from '../src/temporal/temporal-cli-path';
import { startWebhookReceiver, type RunningWebhookReceiver } from '../src/webhooks/aequivalent-webhook-receiver';
import { createWebhookSignaller } from '../src/webhooks/aequivalent-webhook-signaller';
import { BenchChild } from './child-process-probe';
import { BenchLuccaEvents } from './bench-lucca-events';
import { buildRuntime } from '../src/runtime/connectors-runtime';
import { buildWorkflowBundle } from '../src/runtime/workflow-bundle';
import type { ChildRuntime } from './bench-children-runtime';
import { WORKER_NODE_OPTIONS } from '../src/runtime/worker-heap-policy';
import { writeTestConfigFile } from '../test/support/test-config-file';

export const ELEVO_TOKEN = 'bench-elevo-token';
export const LUCCA_KEY = '7a1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
export const ORDERS_TENANT = 'orders';
export const TASK_QUEUE = 'lucca-connectors-bench';

/** One tenant entry of the bench config. */
export interface BenchTenantSpec {
  id: string;
  /** Sandbox Lucca domain it reads (several tenants may share one generated store). */
  luccaDomain: string;
  /** Elevo sandbox account it writes to (omit: no elevo section). */
  elevoAccount?: string;
  aequivalent?: boolean;
  /** With `aequivalent`: the frequent intake every 5 minutes all day (working hours 0–24), for the idle-cost measure. */
  intakeAllDay?: boolean;
  /** The newer Lucca API (`lucca.events`): webhooks and the events feed, polling as the fallback. */
  luccaEvents?: boolean;
  /** Client-side Lucca budget lifted (rate limits off), or Lucca's real 50/min. */
  unthrottled: boolean;
}

/** Delay the simulators add to every answer (latency mode), in milliseconds. */
export interface SimulatorLatency {
  lucca: number;
  elevo: number;
  aequivalent: number;
}

export const NO_LATENCY: SimulatorLatency = { lucca: 0, elevo: 0, aequivalent: 0 };

/**
 * Everything the bench runs against, all real and local: a Temporal dev server (the CLI of
 * src/temporal), the three simulators, the webhook receiver signalling order workflows, a config
 * file with secrets in files, a prebuilt workflow bundle, and a factory for worker processes.
 */
export class BenchWorld {
  private constructor(
    readonly dir: string,
    readonly env: TestWorkflowEnvironment,
    readonly lucca: LuccaSandbox,
    readonly elevo: ElevoSandbox,
    readonly aequivalent: AequivalentSandbox,
    readonly receiver: RunningWebhookReceiver,
    readonly configPath: string,
    readonly bundlePath: string,
    private readonly unthrottled: string[],
    private readonly runtime: ChildRuntime,
  ) {}

  /** The newer Lucca API's simulator and our receiver, when a tenant has `luccaEvents` (connected once its Lucca domain is seeded). */
  luccaEvents?: BenchLuccaEvents;

  static async start(tenants: BenchTenantSpec[], runtime: ChildRuntime, latency: SimulatorLatency = NO_LATENCY): Promise<BenchWorld> {
    const dir = mkdtempSync(join(tmpdir(), 'lc-bench-'));
    const secret = (name: string, value: string) => {
      writeFileSync(join(dir, name), value, { mode: 0o600 });
      return `file:${name}`;
    };
    const lucca = await LuccaSandbox.start({ requestsPerMinute: 0, latencyMs: latency.lucca });
    const elevo = await ElevoSandbox.start({ tenants: [], latencyMs: latency.elevo });
    const aequivalent = await AequivalentSandbox.start({
      latencyMs: latency.aequivalent,
      // Dossiers walk created → invited → consent → in progress → report, one step every 15 s:
      // fast enough for a bench, slow enough that files arrive before the dossier closes (in real
      // life consent takes hours; a closed dossier refuses documents with a 409).
      lifecycle: { mode: 'auto', stepMs: 15_000 },
      webhookRetry: { initialDelayMs: 200, maxDelayMs: 2_000, attempts: 10 },
    });
    const luccaEvents = await BenchLuccaEvents.start(
      lucca,
      tenants.filter((t) => t.luccaEvents).map((t) => t.id),
    );
    const webhookSecret = `whsec-${randomUUID()}`;
    const aequivalentKey = `aeq-${randomUUID()}`;

    const { configPath } = writeTestConfigFile(dir, {
      taskQueue: TASK_QUEUE,
      tenantsYaml: tenants.map((t) =>
        [
          `  - id: ${t.id}`,
          '    timeZone: Europe/Paris',
          '    lucca:',
          `      baseUrl: ${lucca.baseUrlFor(t.luccaDomain)}`,
          `      apiKey: ${secret('lucca.key', LUCCA_KEY)}`,
          '      requestsPerMinute: 50',
          ...(t.luccaEvents && luccaEvents ? luccaEvents.configLines(t.id, secret) : []),
          ...(t.elevoAccount
            ? [
                '    elevo:',
                `      baseUrl: ${elevo.baseUrlFor(t.elevoAccount)}`,
                `      token: ${secret('elevo.token', ELEVO_TOKEN)}`,
                '      extraFields: { costCenter: extendedData.e_cost_center, legalEntity: legalEntity.name }',
                '      exclusion: { fieldCode: e_skip_elevo_sync, policy: release }',
                // batchSize: the config default (2,000), as a tenant would run it
              ]
            : []),
          ...(t.aequivalent
            ? [
                '    aequivalent:',
                `      baseUrl: ${aequivalent.baseUrlFor(t.id)}`,
                `      apiKey: ${secret('aequivalent.key', aequivalentKey)}`,
                `      webhookSecret: ${secret('aequivalent-webhook.secret', webhookSecret)}`,
                // Webhooks drive the orders; polling is only the fallback.
                '      pollIntervalMinutes: 1',
                ...(t.intakeAllDay ? ['      intakeEveryMinutes: 5', '      workingHours: { from: 0, to: 24 }'] : []),
              ]
            : []),
        ].join('\n'),
      ),
    });
    // The workers' store: tenant payload keys are read from it.
    const { dataConverter } = buildRuntime({ loaded: loadConfig(configPath), settings: { dataDir: join(dir, 'artifacts') } });

    const env = await TestWorkflowEnvironment.createLocal({
      client: { dataConverter },
      server: { executable: { type: 'existing-path', path: temporalCliPath() }, searchAttributes: ALL_SEARCH_ATTRIBUTES, ip: '127.0.0.1' },
    });
    const signaller = createWebhookSignaller({ client: env.client });
    const receiver = await startWebhookReceiver({ secretsByTenant: new Map([[ORDERS_TENANT, webhookSecret]]), onEvent: signaller });
    if (tenants.some((t) => t.aequivalent)) {
      aequivalent.addTenant(ORDERS_TENANT, { apiKey: aequivalentKey, webhookSecret, webhookUrl: receiver.urlFor(ORDERS_TENANT) });
    }

    // Prebuilt once, as in production, with the project's failure converter.
    const code = await buildWorkflowBundle();
    const bundlePath = join(dir, 'workflow-bundle.js');
    writeFileSync(bundlePath, code);
    const world = new BenchWorld(
      dir,
      env,
      lucca,
      elevo,
      aequivalent,
      receiver,
      configPath,
      bundlePath,
      tenants.filter((t) => t.unthrottled).map((t) => t.id),
      runtime,
    );
    world.luccaEvents = luccaEvents;
    return world;
  }

  get client() {
    return this.env.client;
  }

  get dataDir(): string {
    return join(this.dir, 'artifacts');
  }

  private childEnv(): NodeJS.ProcessEnv {
    return {
      BENCH_CONFIG: this.configPath,
      BENCH_DATA_DIR: this.dataDir,
      BENCH_TEMPORAL_ADDRESS: this.env.address,
      BENCH_WORKFLOW_BUNDLE: this.bundlePath,
      BENCH_UNTHROTTLED_TENANTS: this.unthrottled.join(','),
    };
  }

  /** A fresh worker process (so each measurement has its own peak memory). */
  async startWorker(name: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<BenchChild> {
    // Started like the image starts it (the Dockerfile's NODE_OPTIONS).
    const child = BenchChild.start(name, this.runtime, 'bench-worker-process.ts', [], {
      ...this.childEnv(),
      NODE_OPTIONS: WORKER_NODE_OPTIONS,
      ...extraEnv,
    });
    await child.next('ready');
    return child;
  }

  startPlainScript(name: string, args: string[]): BenchChild {
    return BenchChild.start(name, this.runtime, 'plain-elevo-sync-script.ts', args, this.childEnv());
  }

  async stop(): Promise<void> {
    await this.luccaEvents?.stop();
    await this.env.teardown();
    await this.receiver.stop();
    await this.aequivalent.stop();
    await this.elevo.stop();
    await this.lucca.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
