import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { loadConfig } from '../../../src/config/load-config';
import { AequivalentSandbox } from '../../../dev/simulators/aequivalent';
import { ElevoSandbox } from '../../../dev/simulators/elevo';
import { generateLuccaTenant, LuccaSandbox, type LuccaTenantStore } from '../../../dev/simulators/lucca';
import { startWebhookReceiver, type RunningWebhookReceiver } from '../../../src/webhooks/aequivalent-webhook-receiver';
import { createWebhookSignaller } from '../../../src/webhooks/aequivalent-webhook-signaller';
import { personalValues as personalValuesOf } from '../../support/personal-values';
import { RestartableTemporalServer } from '../../reliability/support/temporal-dev-server';
import { prebuildWorkflowBundle, WorkerProcess } from '../../reliability/support/worker-process';
import { buildRuntime } from '../../../src/runtime/connectors-runtime';
import { connectClient } from '../../../src/runtime/temporal-connection';
import { writeTestConfigFile } from '../../support/test-config-file';
import { SCREENING_ORDER } from '../../../src/connectors/aequivalent-screening/contract';

const T = 'logscan';
const LUCCA_KEY = randomUUID();
const ELEVO_TOKEN = `elevo-${randomUUID()}`;
const AEQ_KEY = `aeq-${randomUUID()}`;
const WEBHOOK_SECRET = `whsec-${randomUUID()}`;
const PAYLOAD_KEY = randomBytes(32).toString('base64');
const ROOT = resolve(__dirname, '../../..');
const FAULTS = { errorRate: 0.1, resetRate: 0.04, rateLimitRate: 0.04, retryAfterSeconds: 1, timeoutRate: 0.02, timeoutMs: 200 };

/**
 * Everything the worker (production JSON logger, DEBUG) and the CLI print during an Elevo sync and a
 * batch of screening orders, with faults injected on every system, holds no employee data and no
 * secret.
 */
describe('no personal data or secret in what the worker and the CLI print', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-logscan-'));
  let server: RestartableTemporalServer;
  let lucca: LuccaSandbox;
  let elevo: ElevoSandbox;
  let aequivalent: AequivalentSandbox;
  let receiver: RunningWebhookReceiver;
  let worker: WorkerProcess;
  let connection: Connection;
  let store: LuccaTenantStore;
  let printed = '';
  const receiverLog: string[] = [];

  beforeAll(async () => {
    lucca = await LuccaSandbox.start({ requestsPerMinute: 0 });
    store = generateLuccaTenant({ tenantId: T, apiKey: LUCCA_KEY, employees: 40, seed: 777, screeningRatio: 0.15 });
    lucca.addTenant(T, store);
    elevo = await ElevoSandbox.start({ tenants: [{ tenantId: T, token: ELEVO_TOKEN }] });
    aequivalent = await AequivalentSandbox.start({
      lifecycle: { mode: 'auto', stepMs: 300 },
      webhookRetry: { attempts: 6, initialDelayMs: 100, maxDelayMs: 500 },
    });
    const secrets = {
      'lucca.key': LUCCA_KEY,
      'elevo.token': ELEVO_TOKEN,
      'aeq.key': AEQ_KEY,
      'aeq-webhook.secret': WEBHOOK_SECRET,
      'payload.key': PAYLOAD_KEY,
    };
    for (const [name, value] of Object.entries(secrets)) writeFileSync(join(dir, name), value);
    const taskQueue = `logscan-${process.pid}`;
    const { configPath } = writeTestConfigFile(dir, {
      taskQueue,
      payloadKey: PAYLOAD_KEY,
      tenantsYaml: [
        `  - id: ${T}`,
        `    lucca: { baseUrl: "${lucca.baseUrlFor(T)}", apiKey: "file:lucca.key" }`,
        `    elevo: { baseUrl: "${elevo.baseUrlFor(T)}", token: "file:elevo.token" }`,
        `    aequivalent: { baseUrl: "${aequivalent.baseUrlFor(T)}", apiKey: "file:aeq.key", webhookSecret: "file:aeq-webhook.secret", pollIntervalMinutes: 0.05 }`,
      ],
    });
    server = await RestartableTemporalServer.start(join(dir, 'temporal.db'));
    const runtime = buildRuntime({
      loaded: loadConfig(configPath),
      settings: { temporalAddress: server.address, dataDir: join(dir, 'artifacts') },
    });
    const connected = await connectClient(runtime);
    connection = connected.connection;
    const client = connected.client;
    receiver = await startWebhookReceiver({
      secretsByTenant: new Map([[T, WEBHOOK_SECRET]]),
      onEvent: createWebhookSignaller({ client }),
      log: (l) => receiverLog.push(JSON.stringify(l)),
    });
    aequivalent.addTenant(T, { apiKey: AEQ_KEY, webhookSecret: WEBHOOK_SECRET, webhookUrl: receiver.urlFor(T) });
    // Random faults everywhere, plus a burst long enough to fail whole activity attempts (so failures get logged).
    const burst = Array.from({ length: 5 }, () => ({ kind: 'error' as const, status: 503 }));
    for (const sandbox of [lucca, elevo, aequivalent]) sandbox.setFaults(T, { ...FAULTS, script: burst });

    worker = new WorkerProcess({
      configPath,
      dataDir: join(dir, 'artifacts'),
      temporalAddress: server.address,
      bundlePath: await prebuildWorkflowBundle(dir),
      extraEnv: { LC_STRUCTURED_LOGS: '1' },
    });
    await worker.start();

    // Asynchronous on purpose: the simulators live in this process and must keep answering.
    const cli = (...args: string[]) =>
      new Promise<void>((resolveRun, reject) => {
        const child = spawn(process.execPath, [require.resolve('tsx/cli'), join(ROOT, 'src/client.ts'), ...args], {
          cwd: ROOT,
          env: {
            ...process.env,
            LUCCA_CONNECTORS_CONFIG: configPath,
            LUCCA_CONNECTORS_TEMPORAL_ADDRESS: server.address,
            LUCCA_CONNECTORS_DATA_DIR: join(dir, 'artifacts'),
          },
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
        child.once('exit', (code) => {
          clearTimeout(timer);
          printed += out;
          if (code === 0) resolveRun();
          else reject(new Error(`lucca-connectors ${args.join(' ')} exited ${code}: ${out.slice(-1500)}`));
        });
      });
    await cli('run', T, 'elevo-user-sync', '--wait');
    await cli('run', T, 'aequivalent-screening', '--wait');
    for (let i = 0; i < 600; i++) {
      let running = 0;
      for await (const wf of client.workflow.list({ query: `WorkflowType = '${SCREENING_ORDER}' AND ExecutionStatus = 'Running'` }))
        running += wf ? 1 : 0;
      if (running === 0 && aequivalent.dossiers(T).length > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    await cli('runs', '--tenant', T);
    printed += worker.output + receiverLog.join('\n');
  }, 400_000);

  afterAll(async () => {
    await worker?.stop();
    await connection?.close();
    await server?.stop();
    await receiver?.stop();
    await Promise.all([lucca?.stop(), elevo?.stop(), aequivalent?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const personalValues = () => personalValuesOf(store);

  it('ran both connectors for real, through faults, and printed plenty', () => {
    expect(elevo.users(T).length).toBeGreaterThan(20);
    expect(aequivalent.dossiers(T).length).toBeGreaterThanOrEqual(1);
    expect(lucca.stats(T).faulted + lucca.stats(T).rateLimited).toBeGreaterThan(0);
    expect(printed).toContain('"level":"WARN"'); // failures were logged (and scanned)
    expect(printed).toMatch(/started elevo-user-sync\/logscan\//);
    expect(printed.length).toBeGreaterThan(10_000);
  });

  it('printed none of the employees’ names, emails, phones or birth dates', () => {
    expect(personalValues().filter((v) => printed.includes(v))).toEqual([]);
  });

  it('printed no API key, token, webhook secret or encryption key (in any usual encoding)', () => {
    const key = Buffer.from(PAYLOAD_KEY, 'base64');
    const forms = [
      LUCCA_KEY,
      ELEVO_TOKEN,
      AEQ_KEY,
      WEBHOOK_SECRET,
      PAYLOAD_KEY,
      key.toString('hex'),
      [...key].join(','),
      [...key].join(', '),
    ];
    expect(forms.filter((v) => printed.includes(v))).toEqual([]);
  });

  it('uses no personal data in workflow ids or search attributes (opaque ids only)', () => {
    const ids = [...printed.matchAll(/(elevo-user-sync|screening-intake|screening-order)\/[^\s"]+/g)].map((m) => m[0]);
    expect(ids.length).toBeGreaterThan(2);
    for (const id of ids) expect(id).toMatch(/^[a-z-]+\/logscan\/[0-9A-Za-z/_.-]+$/);
  });
});
