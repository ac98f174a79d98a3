import { randomBytes, randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { todayIn } from '../../../src/activities/tenant-clock';
import { applySchedules } from '../../../src/client/schedules';
import { loadConfig } from '../../../src/config/load-config';
import { buildRuntime, type ConnectorsRuntime } from '../../../src/runtime/connectors-runtime';
import { ElevoSandbox } from '../../../dev/simulators/elevo';
import { generateLuccaTenant, LuccaSandbox } from '../../../dev/simulators/lucca';
import { RestartableTemporalServer } from '../../reliability/support/temporal-dev-server';
import { LiveWorkerProcess } from '../../support/live-worker-process';
import { ELEVO_USER_SYNC } from '../../../src/connectors/elevo-user-sync/contract';

const KEY = randomUUID();
const TASK_QUEUE = `hot-reload-${process.pid}`;
const run = promisify(execFile);

/**
 * The "done when" of onboarding: a running worker process (src/worker.ts) whose config file is
 * edited — a bad edit is refused as a whole while the old config keeps running; a tenant added is
 * checked (CLI), scheduled and synced without a restart; disabled, its schedule pauses; removed,
 * its schedule goes and its in-flight run ends cancelled.
 */
describe('tenants without restarts: a worker process follows its config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-reload-'));
  const configPath = join(dir, 'config.yaml');
  let server: RestartableTemporalServer;
  let lucca: LuccaSandbox;
  let elevo: ElevoSandbox;
  let worker: LiveWorkerProcess;
  let connection: Connection;
  let client: Client;
  let runtime: ConnectorsRuntime;

  const tenantYaml = (id: string, extra = '') => [
    `  - id: ${id}`,
    ...(extra ? [`    ${extra}`] : []),
    `    lucca: { baseUrl: "${lucca.baseUrlFor(id)}", apiKey: "file:lucca.key" }`,
    `    elevo: { baseUrl: "${elevo.baseUrlFor(id)}", token: "file:${id}-elevo.token", schedule: { at: { hour: 5, minute: 30 }, jitterMinutes: 0 } }`,
  ];
  const writeConfig = (tenants: string[][]) =>
    writeFileSync(
      configPath,
      [
        'encryption: { keys: [ { id: k1, key: "file:payload.key" } ] }',
        `temporal: { taskQueue: ${TASK_QUEUE} }`,
        'tenants:',
        ...tenants.flat(),
      ].join('\n') + '\n',
    );
  const scheduleIds = async () => {
    const ids: string[] = [];
    for await (const s of client.schedule.list()) ids.push(s.scheduleId);
    return ids.sort();
  };
  const logIndex = () => worker.lines().length;
  const cli = (...args: string[]) =>
    run(process.execPath, ['--require', require.resolve('tsx/cjs'), resolve(__dirname, '../../../src/client.ts'), ...args], {
      env: {
        ...process.env,
        LUCCA_CONNECTORS_CONFIG: configPath,
        LUCCA_CONNECTORS_TEMPORAL_ADDRESS: server.address,
        LUCCA_CONNECTORS_DATA_DIR: join(dir, 'artifacts'),
      },
    }).catch((err: { stdout: string; stderr: string; code: number }) => err);

  beforeAll(async () => {
    lucca = await LuccaSandbox.start({ requestsPerMinute: 0 });
    lucca.addTenant('acme', generateLuccaTenant({ tenantId: 'acme', apiKey: KEY, employees: 20, seed: 1 }));
    lucca.addTenant(
      'initech',
      generateLuccaTenant({
        tenantId: 'initech',
        apiKey: KEY,
        employees: 30,
        seed: 2,
        futureRatio: 0.15,
        formerRatio: 0.15,
        today: todayIn('Europe/Paris', new Date()),
      }),
    );
    elevo = await ElevoSandbox.start({
      tenants: [
        { tenantId: 'acme', token: 'acme-elevo-token' },
        { tenantId: 'initech', token: 'initech-elevo-token' },
      ],
    });
    writeFileSync(join(dir, 'lucca.key'), KEY);
    writeFileSync(join(dir, 'acme-elevo.token'), 'acme-elevo-token');
    writeFileSync(join(dir, 'initech-elevo.token'), 'initech-elevo-token');
    writeFileSync(join(dir, 'payload.key'), randomBytes(32).toString('base64'));
    writeConfig([tenantYaml('acme')]);
    server = await RestartableTemporalServer.start(join(dir, 'temporal.db'));
    const loaded = loadConfig(configPath);
    // The composition root, as the CLI builds it: payloads of a tenant's workflows decode with the
    // tenant key material kept in the (shared) store.
    runtime = buildRuntime({ loaded, settings: { dataDir: join(dir, 'artifacts') } });
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection, dataConverter: runtime.dataConverter });
    await applySchedules(client, loaded.config, TASK_QUEUE); // as at deployment (`schedules apply`, or `npm start`)
    worker = new LiveWorkerProcess({
      LUCCA_CONNECTORS_CONFIG: configPath,
      LUCCA_CONNECTORS_TEMPORAL_ADDRESS: server.address,
      LUCCA_CONNECTORS_DATA_DIR: join(dir, 'artifacts'),
      LUCCA_CONNECTORS_CONFIG_POLL_MS: '200',
    });
    await worker.start();
  }, 240_000);
  afterAll(async () => {
    await worker?.stop();
    await connection?.close();
    await runtime?.close();
    await server?.stop();
    await Promise.allSettled([lucca?.stop(), elevo?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a bad edit as a whole, with each problem and its path, and keeps running the old config', async () => {
    const from = logIndex();
    writeConfig([tenantYaml('acme'), [...tenantYaml('initech'), '    unknownKey: 1'], tenantYaml('Bad_Id')]);
    const refused = await worker.waitFor((l) => l.msg === 'config refused; the running configuration is kept', 30_000, from);
    expect(refused.problems).toEqual(
      expect.arrayContaining([
        'tenants[1]: unknown field(s) "unknownKey"',
        expect.stringMatching(/^tenants\[2\]\.id: tenant ids are lower-case/),
      ]),
    );
    expect(await scheduleIds()).toEqual(['elevo-user-sync/acme']);
    // A secret the worker cannot read refuses the file too.
    const next = logIndex();
    writeConfig([tenantYaml('acme'), tenantYaml('initech').map((l) => l.replace('file:initech-elevo.token', 'file:missing.token'))]);
    const secret = await worker.waitFor((l) => l.msg === 'config refused; the running configuration is kept', 30_000, next);
    expect(secret.problems).toEqual([
      expect.stringMatching(/^tenants\[1\]\.elevo\.token: cannot read secret file .*missing\.token \(ENOENT\)$/),
    ]);
  });

  it('a tenant added with `tenants add` is checked, scheduled and synced without a restart', async () => {
    writeConfig([tenantYaml('acme')]); // back to the running config (the refused edits are gone)
    const from = logIndex();
    const added = (await cli(
      'tenants',
      'add',
      'initech',
      '--lucca-url',
      lucca.baseUrlFor('initech'),
      '--lucca-key',
      'file:lucca.key',
      '--elevo-url',
      elevo.baseUrlFor('initech'),
      '--elevo-token',
      'file:initech-elevo.token',
    )) as { stdout: string };
    expect(added.stdout).toContain(`tenant initech added to ${configPath}`);
    expect(added.stdout).toMatch(/Tenant initech — checked .* — 4 Lucca request\(s\), nothing written/);
    expect(added.stdout).toContain('elevo-user-sync: can run');
    expect(added.stdout).toMatch(/Left to do:\n.*Running workers pick the tenant up within seconds/);
    expect(loadConfig(configPath).config.tenants.find((t) => t.id === 'initech')).toMatchObject({
      lucca: { apiKey: 'file:lucca.key' },
      elevo: { token: 'file:initech-elevo.token' },
    });
    const refused = await cli('tenants', 'add', 'initech', '--lucca-url', lucca.baseUrlFor('initech'), '--lucca-key', 'file:lucca.key');
    expect((refused as { stderr: string }).stderr).toContain('tenants[2].id: duplicate tenant id "initech"');
    await worker.waitFor((l) => l.msg === 'config reloaded' && JSON.stringify(l.added) === '["initech"]', 30_000, from);
    await worker.waitFor((l) => l.msg === 'schedules follow the config', 30_000, from);
    expect(await scheduleIds()).toEqual(['elevo-user-sync/acme', 'elevo-user-sync/initech']);
    // The worker checks it too (an entry edited by hand gets the same check), through its shared Lucca budget.
    expect(await worker.waitFor((l) => l.msg === 'tenant checked', 30_000, from)).toMatchObject({
      tenantId: 'initech',
      canRun: true,
      blocking: [],
      warnings: [],
      luccaRequests: 4,
    });
    const schedule = await client.schedule.getHandle('elevo-user-sync/initech').describe();
    expect(schedule.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 6, end: 6, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] }); // the default daily time

    await client.schedule.getHandle('elevo-user-sync/initech').trigger();
    const runId = await firstRun(client, 'initech');
    await client.workflow.getHandle(runId).result();
    expect(elevo.users('initech').length).toBeGreaterThan(15);

    const listed = (await cli('tenants')) as { stdout: string };
    expect(listed.stdout).toMatch(/^initech +Europe\/Paris +enabled +last check: \d{4}-\d\d-\d\d \d\d:\d\dZ ok$/m);
    expect(listed.stdout).toMatch(
      /^ {2}elevo-user-sync +last run: \d{4}-\d\d-\d\d \d\d:\d\dZ completed .* next: \d{4}-\d\d-\d\d \d\d:\d\dZ$/m,
    );
  });

  it('disabling a tenant pauses its schedules; enabling it again resumes them', async () => {
    let from = logIndex();
    writeConfig([tenantYaml('acme'), tenantYaml('initech', 'enabled: false')]);
    await worker.waitFor((l) => l.msg === 'schedules follow the config', 30_000, from);
    expect((await client.schedule.getHandle('elevo-user-sync/initech').describe()).state).toMatchObject({
      paused: true,
      note: 'tenant disabled in the config',
    });
    from = logIndex();
    writeConfig([tenantYaml('acme'), tenantYaml('initech')]);
    await worker.waitFor((l) => l.msg === 'schedules follow the config', 30_000, from);
    expect((await client.schedule.getHandle('elevo-user-sync/initech').describe()).state.paused).toBe(false);
  });

  it('SIGHUP reloads at once and puts the schedules back in line with the file', async () => {
    await client.schedule.getHandle('elevo-user-sync/acme').delete(); // someone deleted it by hand
    const from = logIndex();
    worker.signal('SIGHUP');
    await worker.waitFor((l) => l.msg === 'config reloaded' && l.trigger === 'SIGHUP', 30_000, from);
    expect(await worker.waitFor((l) => l.msg === 'schedules follow the config', 30_000, from)).toMatchObject({ created: 1 });
    expect(await scheduleIds()).toEqual(['elevo-user-sync/acme', 'elevo-user-sync/initech']);
  });

  it('removing a tenant deletes its schedule and cancels its run in flight', async () => {
    lucca.setFaults('initech', { latencyMs: 3000 }); // keeps the run busy in Lucca while the tenant goes
    const handle = await client.workflow.start(ELEVO_USER_SYNC, {
      taskQueue: TASK_QUEUE,
      workflowId: `elevo-user-sync/initech/in-flight-${Date.now()}`,
      args: [{ tenantId: 'initech', runDate: '2026-11-30' }],
    });
    await waitUntil(async () => lucca.stats('initech').requests > 0);
    // In flight and findable as a run of the tenant (the workflow sets LuccaTenantId on its first task).
    await waitUntil(async () => {
      for await (const wf of client.workflow.list({ query: `LuccaTenantId = 'initech' AND ExecutionStatus = 'Running'` }))
        if (wf.workflowId === handle.workflowId) return true;
      return false;
    });
    const from = logIndex();
    writeConfig([tenantYaml('acme')]);
    const followed = await worker.waitFor((l) => l.msg === 'schedules follow the config', 30_000, from);
    expect(followed).toMatchObject({ deleted: 1, cancelledRuns: 1 });
    expect(await scheduleIds()).toEqual(['elevo-user-sync/acme']);
    const error = await handle.result().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((await handle.describe()).status.name).toBe('CANCELLED');
    lucca.setFaults('initech', { reset: true });
  });
});

async function firstRun(client: Client, tenantId: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    for await (const wf of client.workflow.list({ query: `LuccaTenantId = '${tenantId}'` })) return wf.workflowId;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no run of ${tenantId}`);
}

async function waitUntil(predicate: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
