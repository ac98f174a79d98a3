import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../../src/config/load-config';
import type { LuccaConnectionReport } from '../../../src/activities/lucca-connection-activities';
import { generateLuccaTenant, LuccaSandbox } from '../../../dev/simulators/lucca';
import { RestartableTemporalServer } from '../../reliability/support/temporal-dev-server';
import { prebuildWorkflowBundle, WorkerProcess } from '../../reliability/support/worker-process';
import { clockOffsetEnv } from '../../support/faketime';
import { luccaBudgetStateQuery, luccaBudgetWorkflowId, luccaDomainKey } from '../../../src/shared/lucca-budget-contract';
import { buildRuntime } from '../../../src/runtime/connectors-runtime';
import { connectClient } from '../../../src/runtime/temporal-connection';
import { writeTestConfigFile } from '../../support/test-config-file';

const T = 'budget';
const CONTROL = 'control';
const SKEW = 'skew';
const KEY = randomUUID();
const PER_MINUTE = 10;
const CHECKS = 6; // 3 Lucca requests each: 18 requests, more than one minute's budget

/**
 * Two worker processes against one server, one Lucca domain allowing 10 requests a minute: with
 * the budget shared through Temporal, every run completes and Lucca never answers 429. A control
 * run with per-process budgets shows the same load does overrun it.
 */
describe('the Lucca budget holds across two worker processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-budget-'));
  let server: RestartableTemporalServer;
  let lucca: LuccaSandbox;
  let client: Client;
  let connection: Connection;
  let configPath: string;
  let bundlePath: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    lucca = await LuccaSandbox.start({ requestsPerMinute: PER_MINUTE });
    // Two Lucca domains, so the control run cannot touch the budget of the real one.
    for (const t of [T, CONTROL, SKEW]) lucca.addTenant(t, generateLuccaTenant({ tenantId: t, apiKey: KEY, employees: 30, seed: 12 }));
    writeFileSync(join(dir, 'lucca.key'), KEY);
    ({ configPath } = writeTestConfigFile(dir, {
      taskQueue: `budget-${process.pid}`,
      tenantsYaml: [
        `  - id: ${T}`,
        `    lucca: { baseUrl: "${lucca.baseUrlFor(T)}", apiKey: "file:lucca.key", requestsPerMinute: ${PER_MINUTE} }`,
        `  - id: ${CONTROL}`,
        `    lucca: { baseUrl: "${lucca.baseUrlFor(CONTROL)}", apiKey: "file:lucca.key", requestsPerMinute: ${PER_MINUTE} }`,
        `  - id: ${SKEW}`,
        `    lucca: { baseUrl: "${lucca.baseUrlFor(SKEW)}", apiKey: "file:lucca.key", requestsPerMinute: ${PER_MINUTE} }`,
      ],
    }));
    server = await RestartableTemporalServer.start(join(dir, 'temporal.db'));
    bundlePath = await prebuildWorkflowBundle(dir);
    ({ client, connection } = await connectClient(
      buildRuntime({ loaded: loadConfig(configPath), settings: { temporalAddress: server.address, dataDir: join(dir, 'artifacts') } }),
    ));
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await connection?.close();
    await server?.stop();
    await lucca?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startWorkers(
    extraEnv: Record<string, string>,
    perWorker: Array<Record<string, string>> = [{}, {}],
  ): Promise<WorkerProcess[]> {
    const pair = perWorker.map(
      (own) =>
        new WorkerProcess({
          configPath,
          dataDir: join(dir, 'artifacts'),
          temporalAddress: server.address,
          bundlePath,
          extraEnv: { ...extraEnv, ...own },
        }),
    );
    workers.push(...pair);
    await Promise.all(pair.map((w) => w.start()));
    return pair;
  }

  const startChecks = (tenantId: string, count = CHECKS) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        client.workflow.start('luccaConnectionCheck', {
          taskQueue: `budget-${process.pid}`,
          workflowId: `check/${tenantId}/${i}`,
          args: [{ tenantId }],
        }),
      ),
    );

  it('control: per-process budgets overrun the domain limit when two workers share the load', async () => {
    const pair = await startWorkers({ LC_LOCAL_BUDGET: '1', LUCCA_CONNECTORS_MAX_ACTIVITIES: '1' });
    const handles = await startChecks(CONTROL);
    for (let i = 0; i < 200 && lucca.stats(CONTROL).rateLimited === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(lucca.stats(CONTROL).rateLimited).toBeGreaterThan(0);
    await Promise.all(handles.map((h) => h.terminate('control run done').catch(() => undefined))); // some may have finished
    await Promise.all(pair.map((w) => w.stop()));
  });

  it('shared: both workers take part, every run completes, and Lucca never answers 429', async () => {
    // One activity at a time per process: while one waits for a permit, the other process must take work.
    await startWorkers({ LUCCA_CONNECTORS_MAX_ACTIVITIES: '1' });
    const handles = await startChecks(T);
    const results = (await Promise.all(handles.map((h) => h.result()))) as LuccaConnectionReport[];
    expect(results.every((r) => r.allEmployees === 30)).toBe(true);
    // An activity that gave its slot back (LuccaBudgetBusy) repeats its requests when retried.
    expect(lucca.stats(T).requests).toBeGreaterThanOrEqual(CHECKS * 3);
    expect(lucca.stats(T).rateLimited).toBe(0);

    const identities = new Set<string>();
    for (const h of handles) {
      for (const event of (await h.fetchHistory()).events ?? []) {
        const identity = event.activityTaskStartedEventAttributes?.identity;
        if (identity) identities.add(identity);
      }
    }
    expect(identities.size).toBe(2); // the second process took part of the work
  }, 240_000);

  it('skew and stalls: one worker 2 s ahead, the other 2 s behind and stalling 1 s every 3 s — every request granted, 0 × 429', async () => {
    const previous = workers.splice(0);
    await Promise.all(previous.map((w) => w.stop()));
    // The budget workflow reads the server's clock, each worker only its own monotonic one.
    await startWorkers({ LUCCA_CONNECTORS_MAX_ACTIVITIES: '1' }, [
      clockOffsetEnv('+2s'),
      { ...clockOffsetEnv('-2s'), LC_STALL_MS: '1000', LC_STALL_EVERY_MS: '3000' },
    ]);
    const checks = 5; // 15 requests: more than one window of 10
    const handles = await startChecks(SKEW, checks);
    const results = (await Promise.all(handles.map((h) => h.result()))) as LuccaConnectionReport[];
    expect(results.every((r) => r.allEmployees === 30)).toBe(true);
    const { requests, rateLimited } = lucca.stats(SKEW);
    expect(rateLimited).toBe(0);
    expect(requests).toBeGreaterThanOrEqual(checks * 3);
    const budget = await client.workflow
      .getHandle(luccaBudgetWorkflowId(luccaDomainKey(lucca.baseUrlFor(SKEW))))
      .query(luccaBudgetStateQuery);
    expect(budget.totalGranted - budget.totalReturned).toBeGreaterThanOrEqual(requests); // no request went out without a permit
  }, 300_000);
});
