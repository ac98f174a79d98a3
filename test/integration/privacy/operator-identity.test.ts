import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { signedFor, TEST_OPERATOR, testOperatorKey } from '../../support/test-operator';
import type { RunReport } from '../../../src/connectors/elevo-user-sync/domain/run-report';
import { renderElevoRunReport } from '../../../src/connectors/elevo-user-sync/report/render-run-report';
import {
  approveElevoSyncUpdate,
  rejectElevoSyncUpdate,
  elevoSyncProgressQuery,
  type ElevoSyncResult,
  ELEVO_USER_SYNC,
} from '../../../src/connectors/elevo-user-sync/contract';
import { startElevoSyncWorld, type ElevoSyncWorld } from '../../support/elevo-sync-world';
import { waitUntilHeld } from '../../support/wait-until-held';
import { isExcludedFromElevo } from '../../support/excluded-from-elevo';

const TENANT = 'acme';
const LUCCA_KEY = randomUUID();
const ELEVO_TOKEN = `elevo-${randomUUID()}`;
const OPERATOR = 'jane.ops@acme.example';
const ROOT = resolve(__dirname, '../../..');

/**
 * An approval is recorded as the operator whose key signed it (config `operators`) and the Temporal
 * client identity Temporal itself writes into the history — never a name typed on the command line
 * or claimed by a client that holds the payload key but not the operator's key.
 */
describe('approvals carry the operator their signature proves', () => {
  let world: ElevoSyncWorld;

  beforeAll(async () => {
    world = await startElevoSyncWorld([
      { id: TENANT, luccaApiKey: LUCCA_KEY, elevoToken: ELEVO_TOKEN, employees: 40, seed: 4242, elevo: { safety: { maxSuspendCount: 1 } } },
    ]);
  });
  afterAll(async () => world?.stop());

  const cli = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; out: string }>((done) => {
      const child = spawn(process.execPath, [require.resolve('tsx/cli'), resolve(ROOT, 'src/client.ts'), ...args], {
        cwd: ROOT,
        env: {
          ...process.env,
          LUCCA_CONNECTORS_CONFIG: world.harness.configPath,
          LUCCA_CONNECTORS_TEMPORAL_ADDRESS: world.harness.env.address,
          LUCCA_CONNECTORS_DATA_DIR: world.harness.dataDir,
          ...env,
        },
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.once('exit', (code) => done({ code, out }));
    });

  let runs = 0;
  const start = () =>
    world.harness.env.client.workflow.start(ELEVO_USER_SYNC, {
      taskQueue: world.harness.taskQueue,
      workflowId: `elevo-user-sync/${TENANT}/2026-11-20/id${++runs}`,
      args: [{ tenantId: TENANT, runDate: '2026-11-20' }],
    });

  /** A first full sync once, then 3 employees gone from Lucca: the next run would suspend 3 (> 1) and holds. */
  async function heldRun(): Promise<WorkflowHandle> {
    if (runs === 0) expect(((await (await start()).result()) as ElevoSyncResult).status).toBe('completed');
    const current = [...world.store.users.values()].filter(
      (u) => world.store.statusOf(u) === 'current' && !isExcludedFromElevo(world.store, u.id),
    );
    const leaves = current.filter((u) => !current.some((r) => r.managerId === u.id)).slice(0, 3);
    for (const u of leaves) world.store.deleteUser(u.id);
    const handle = await start();
    await waitUntilHeld(handle, 30_000);
    expect((await handle.query(elevoSyncProgressQuery)).status).toBe('held');
    return handle;
  }

  it('has no way to type a name, and records the operator the signature proves in the result, the report and the history', async () => {
    const handle = await heldRun();
    const keyFile = join(world.harness.dataDir, 'operator.pem');
    writeFileSync(keyFile, TEST_OPERATOR.privateKeyPem, { mode: 0o600 });
    const typed = await cli(['approve', handle.workflowId, '--by', 'mallory'], {
      LUCCA_CONNECTORS_OPERATOR: OPERATOR,
      LUCCA_CONNECTORS_OPERATOR_KEY_FILE: keyFile,
    });
    expect(typed.code).not.toBe(0);
    expect(typed.out).toMatch(/unknown option '--by'/);
    // Without the operator's key the CLI cannot sign: nothing is sent.
    const keyless = await cli(['approve', handle.workflowId], {
      LUCCA_CONNECTORS_OPERATOR: OPERATOR,
      LUCCA_CONNECTORS_OPERATOR_KEY_FILE: '',
    });
    expect(keyless.code).not.toBe(0);
    expect(keyless.out).toMatch(/LUCCA_CONNECTORS_OPERATOR_KEY_FILE/);
    expect((await handle.query(elevoSyncProgressQuery)).status).toBe('held');

    const approved = await cli(['approve', handle.workflowId, '--comment', 'planned'], {
      LUCCA_CONNECTORS_OPERATOR: OPERATOR,
      LUCCA_CONNECTORS_OPERATOR_KEY_FILE: keyFile,
    });
    expect(approved.out).toMatch(/approved .* signed with operator key [0-9a-f]{16}/);
    expect(approved.code).toBe(0);
    const result = (await handle.result()) as ElevoSyncResult;
    // `by` is the configured name of the key that signed, not the operator name the CLI's environment typed.
    expect(result.decision).toMatchObject({
      approved: true,
      by: TEST_OPERATOR.name,
      key: expect.stringMatching(/^[0-9a-f]{16}$/),
      client: `lucca-connectors-cli/${OPERATOR}`,
      temporalIdentity: `lucca-connectors-cli/${OPERATOR}`,
      comment: 'planned',
    });
    const report = await world.harness.artifacts.requireJson<RunReport>(result.reportKey);
    expect(renderElevoRunReport(report, 'text')).toContain(`${TEST_OPERATOR.name} (proven by operator key ${result.decision!.key})`);

    // The same client identity, as Temporal recorded it for the accepted update.
    const history = await handle.fetchHistory();
    const accepted = history.events?.find(
      (e) => e.workflowExecutionUpdateAcceptedEventAttributes,
    )?.workflowExecutionUpdateAcceptedEventAttributes;
    expect(accepted?.acceptedRequest?.meta?.identity).toBe(`lucca-connectors-cli/${OPERATOR}`);
  });

  it('refuses a client holding the payload key but no operator key, even when it claims a proven operator', async () => {
    const handle = await heldRun();
    const other = new Client({
      connection: world.harness.env.connection,
      namespace: world.harness.env.client.options.namespace,
      dataConverter: world.harness.env.client.options.dataConverter,
      identity: 'script-on-some-laptop',
    });
    const target = other.workflow.getHandle(handle.workflowId);
    await expect(
      target.executeUpdate(approveElevoSyncUpdate, { args: [{ by: OPERATOR, client: `lucca-connectors-cli/${OPERATOR}` }] }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    // A proof it made up, naming the operator as already proven: the worker checks every proof it decodes.
    const forged = {
      by: OPERATOR,
      client: 'x',
      $operatorProof: {
        v: 1,
        command: 'approve',
        workflowId: handle.workflowId,
        runId: (await handle.describe()).runId,
        nonce: 'n'.repeat(24),
        issuedAt: new Date().toISOString(),
        keyId: '0'.repeat(16),
        signature: 'AAAA',
        provenOperator: OPERATOR,
      },
    };
    await expect(target.executeUpdate(approveElevoSyncUpdate, { args: [forged as never] })).rejects.toThrow(WorkflowUpdateFailedError);
    // Signed by a key that is not in the config.
    const stranger = testOperatorKey('stranger@elsewhere.example');
    await expect(
      target.executeUpdate(approveElevoSyncUpdate, { args: [await signedFor(handle, 'approve', { by: OPERATOR, client: 'x' }, stranger)] }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    expect((await handle.query(elevoSyncProgressQuery)).status).toBe('held');
    await handle.executeUpdate(rejectElevoSyncUpdate, { args: [await signedFor(handle, 'reject', { by: OPERATOR, client: 'x' })] });
    expect(((await handle.result()) as ElevoSyncResult).decision).toMatchObject({ approved: false, by: TEST_OPERATOR.name });
  });
});
