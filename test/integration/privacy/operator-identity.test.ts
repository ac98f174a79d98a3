import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Client, type WorkflowHandle } from '@temporalio/client';
import type { RunReport } from '../../../src/domain/elevo-user-sync/run-report';
import { renderElevoRunReport } from '../../../src/reports/elevo-run-report';
import { approveElevoSyncUpdate, elevoSyncProgressQuery, type ElevoSyncResult, ELEVO_USER_SYNC } from '../../../src/shared/elevo-user-sync-contract';
import { startElevoSyncWorld, type ElevoSyncWorld } from '../../support/elevo-sync-world';
import { waitUntilHeld } from '../../support/wait-until-held';
import { isExcludedFromElevo } from '../../support/excluded-from-elevo';

const TENANT = 'acme';
const LUCCA_KEY = randomUUID();
const ELEVO_TOKEN = `elevo-${randomUUID()}`;
const OPERATOR = 'jane.ops@acme.example';
const ROOT = resolve(__dirname, '../../..');

/**
 * An approval is recorded as the identities configured for the CLI — the operator
 * (LUCCA_CONNECTORS_OPERATOR) and its Temporal client identity, which Temporal itself writes into
 * the history — never a name typed on the command line.
 */
describe('approvals carry the configured operator and Temporal client identities', () => {
  let world: ElevoSyncWorld;

  beforeAll(async () => {
    world = await startElevoSyncWorld([{ id: TENANT, luccaApiKey: LUCCA_KEY, elevoToken: ELEVO_TOKEN, employees: 40, seed: 4242, elevo: { safety: { maxSuspendCount: 1 } } }]);
  });
  afterAll(async () => world?.stop());

  const cli = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; out: string }>((done) => {
      const child = spawn(process.execPath, [require.resolve('tsx/cli'), resolve(ROOT, 'src/client.ts'), ...args], {
        cwd: ROOT,
        env: { ...process.env, LUCCA_CONNECTORS_CONFIG: world.harness.configPath, LUCCA_CONNECTORS_TEMPORAL_ADDRESS: world.harness.env.address, LUCCA_CONNECTORS_DATA_DIR: world.harness.dataDir, ...env },
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.once('exit', (code) => done({ code, out }));
    });

  let runs = 0;
  const start = () =>
    world.harness.env.client.workflow.start(ELEVO_USER_SYNC, { taskQueue: world.harness.taskQueue, workflowId: `elevo-user-sync/${TENANT}/2026-11-20/id${++runs}`, args: [{ tenantId: TENANT, runDate: '2026-11-20' }] });

  /** A first full sync once, then 3 employees gone from Lucca: the next run would suspend 3 (> 1) and holds. */
  async function heldRun(): Promise<WorkflowHandle> {
    if (runs === 0) expect(((await (await start()).result()) as ElevoSyncResult).status).toBe('completed');
    const current = [...world.store.users.values()].filter((u) => world.store.statusOf(u) === 'current' && !isExcludedFromElevo(world.store, u.id));
    const leaves = current.filter((u) => !current.some((r) => r.managerId === u.id)).slice(0, 3);
    for (const u of leaves) world.store.deleteUser(u.id);
    const handle = await start();
    await waitUntilHeld(handle, 30_000);
    expect((await handle.query(elevoSyncProgressQuery)).status).toBe('held');
    return handle;
  }

  it('has no way to type a name, and records the configured identities in the result, the report and the history', async () => {
    const handle = await heldRun();
    const typed = await cli(['approve', handle.workflowId, '--by', 'mallory'], { LUCCA_CONNECTORS_OPERATOR: OPERATOR });
    expect(typed.code).not.toBe(0);
    expect(typed.out).toMatch(/unknown option '--by'/);
    expect((await handle.query(elevoSyncProgressQuery)).status).toBe('held');

    const approved = await cli(['approve', handle.workflowId, '--comment', 'planned'], { LUCCA_CONNECTORS_OPERATOR: OPERATOR });
    expect(approved.out).toContain(`as ${OPERATOR} (Temporal client lucca-connectors-cli/${OPERATOR})`);
    expect(approved.code).toBe(0);
    const result = (await handle.result()) as ElevoSyncResult;
    expect(result.decision).toMatchObject({ approved: true, by: OPERATOR, client: `lucca-connectors-cli/${OPERATOR}`, temporalIdentity: `lucca-connectors-cli/${OPERATOR}`, comment: 'planned' });
    const report = await world.harness.artifacts.requireJson<RunReport>(result.reportKey);
    expect(renderElevoRunReport(report, 'text')).toMatch(new RegExp(`Approved by\\s+${OPERATOR.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(Temporal client lucca-connectors-cli/${OPERATOR.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\) — planned`));

    // The same client identity, as Temporal recorded it for the accepted update.
    const history = await handle.fetchHistory();
    const accepted = history.events?.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes)?.workflowExecutionUpdateAcceptedEventAttributes;
    expect(accepted?.acceptedRequest?.meta?.identity).toBe(`lucca-connectors-cli/${OPERATOR}`);
  });

  it('shows what Temporal recorded when a client with the key claims another identity in the request', async () => {
    const handle = await heldRun();
    const other = new Client({ connection: world.harness.env.connection, namespace: world.harness.env.client.options.namespace, dataConverter: world.harness.env.client.options.dataConverter, identity: 'script-on-some-laptop' });
    await other.workflow.getHandle(handle.workflowId).executeUpdate(approveElevoSyncUpdate, { args: [{ by: OPERATOR, client: `lucca-connectors-cli/${OPERATOR}` }] });
    const result = (await handle.result()) as ElevoSyncResult;
    expect(result.decision).toMatchObject({ by: OPERATOR, client: `lucca-connectors-cli/${OPERATOR}`, temporalIdentity: 'script-on-some-laptop' });
    const text = renderElevoRunReport(await world.harness.artifacts.requireJson<RunReport>(result.reportKey), 'text');
    expect(text).toContain(`${OPERATOR} (Temporal client script-on-some-laptop as recorded by Temporal; the request claimed lucca-connectors-cli/${OPERATOR})`);
    expect(text).toMatch(/Approved by\s+\S/);
  });
});
