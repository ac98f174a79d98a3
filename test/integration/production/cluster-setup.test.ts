import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs, tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../../../src/shared/search-attributes';
import { programEnv } from '../../support/program-env';
import { writeConfigFile } from '../../support/write-config-file';
import { startPostgresServer, type PostgresServer } from '../../support/postgres-server';
import { ProgramProcess, runProgram } from '../../support/project-process';
import { RealTemporalServer } from '../../support/real-temporal-server';

const NAMESPACE = 'lucca-prod';
const DAY_MS = 86_400_000;

/**
 * A real Temporal server (built from source, PostgreSQL) starts with no namespace of ours and no
 * search attributes. Every process refuses to start with one line naming what is missing and the
 * command that fixes it; `lucca-connectors setup` prepares the cluster, idempotently.
 */
describe('lucca-connectors setup on a real Temporal server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-setup-'));
  let postgres: PostgresServer;
  let server: RealTemporalServer;
  let connection: Connection;

  const writeConfig = (name: string, retentionDays: number) =>
    writeConfigFile(join(dir, name), {
      encryption: { keys: [{ id: 'k1', key: 'file:payload.key' }] },
      storage: { kind: 'postgres', url: 'file:store-url.secret' },
      temporal: { namespace: NAMESPACE, taskQueue: `setup-${process.pid}`, retentionDays },
      tenants: [
        {
          id: 'acme',
          lucca: { baseUrl: 'http://127.0.0.1:9/lucca', apiKey: 'file:secret.txt' },
          aequivalent: { baseUrl: 'http://127.0.0.1:9/aeq', apiKey: 'file:secret.txt', webhookSecret: 'file:secret.txt' },
        },
      ],
    });
  let env: Record<string, string>;
  const cli = (args: string[], extra: Record<string, string> = {}) => runProgram('src/client.ts', args, { ...env, ...extra });
  const lastLine = (output: string) => output.trim().split('\n').pop();

  beforeAll(async () => {
    writeFileSync(join(dir, 'payload.key'), randomBytes(32).toString('base64'));
    writeFileSync(join(dir, 'secret.txt'), 'not-a-real-secret');
    postgres = await startPostgresServer();
    await postgres.createDatabase('connectors_store');
    writeFileSync(join(dir, 'store-url.secret'), postgres.url('connectors_store'));
    server = await RealTemporalServer.start({ postgres });
    connection = await Connection.connect({ address: server.address });
    env = await programEnv({ configPath: writeConfig('config.yaml', 3), temporalAddress: server.address, dataDir: join(dir, 'artifacts') });
  });
  afterAll(async () => {
    await connection?.close();
    await server?.stop();
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const storeMissing = /the artifact store postgres:\/\/[^ ]*connectors_store has no schema/;

  it('before setup, the CLI, the worker and the webhook receiver each stop with one line naming what is missing and the fix', async () => {
    const [fromCli, fromWorker, fromReceiver] = await Promise.all([
      cli(['runs']),
      runProgram('src/worker.ts', [], env),
      runProgram('src/webhooks/start-webhook-receiver.ts', [], env),
    ]);
    for (const run of [fromCli, fromWorker]) {
      expect(run.code).toBe(1);
      const line = lastLine(run.output)!;
      expect(line.startsWith(`not ready: namespace "${NAMESPACE}" does not exist on ${server.address}; `)).toBe(true);
      expect(line).toMatch(storeMissing);
      expect(line.endsWith(' — run `lucca-connectors setup`')).toBe(true);
      expect(line).not.toContain(postgres.password);
    }
    // The receiver only signals workflows: the store is not its concern.
    expect(fromReceiver.code).toBe(1);
    expect(lastLine(fromReceiver.output)).toBe(
      `not ready: namespace "${NAMESPACE}" does not exist on ${server.address} — run \`lucca-connectors setup\``,
    );
  });

  it('names the missing search attributes of a namespace created by hand', async () => {
    await connection.workflowService.registerNamespace({ namespace: 'bare', workflowExecutionRetentionPeriod: msToTs(DAY_MS) });
    const run = await cli(['runs'], { LUCCA_CONNECTORS_TEMPORAL_NAMESPACE: 'bare' });
    expect(run.code).toBe(1);
    expect(lastLine(run.output)).toMatch(
      `not ready: namespace "bare" lacks the search attributes ${ALL_SEARCH_ATTRIBUTES.map((k) => k.name).join(', ')}; the artifact store`,
    );
  });

  it('setup creates the namespace with the configured retention and the search attributes; run again, it changes nothing', async () => {
    const first = await cli(['setup']);
    expect(first.code).toBe(0);
    expect(first.output).toContain(`namespace "${NAMESPACE}": created, retention 3 days`);
    expect(first.output).toContain(`search attributes: added ${ALL_SEARCH_ATTRIBUTES.map((k) => k.name).join(', ')}`);
    expect(first.output).toMatch(/^store postgres:\/\/\S*connectors_store: applied \d+_artifacts, \d+_webhook-deliveries$/m);
    expect(first.output).not.toContain(postgres.password);

    const described = await connection.workflowService.describeNamespace({ namespace: NAMESPACE });
    expect(tsToMs(described.config?.workflowExecutionRetentionTtl)).toBe(3 * DAY_MS);
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: NAMESPACE });
    for (const key of ALL_SEARCH_ATTRIBUTES)
      expect(customAttributes?.[key.name]).toBe(temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);

    const again = await cli(['setup']);
    expect(again.code).toBe(0);
    expect(again.output).toContain(`namespace "${NAMESPACE}": present, retention 3 days`);
    expect(again.output).toContain('search attributes: LuccaTenantId, LuccaConnector, LuccaEmployeeId, LuccaRunState present');
    expect(again.output).toMatch(/^store postgres:\/\/\S*connectors_store: schema up to date$/m);
  });

  it('setup applies a changed retention', async () => {
    const run = await cli(['setup'], { LUCCA_CONNECTORS_CONFIG: writeConfig('longer.yaml', 7) });
    expect(run.code).toBe(0);
    expect(run.output).toContain(`namespace "${NAMESPACE}": retention changed from 3 days to 7 days`);
    const described = await connection.workflowService.describeNamespace({ namespace: NAMESPACE });
    expect(tsToMs(described.config?.workflowExecutionRetentionTtl)).toBe(7 * DAY_MS);
  });

  it('after setup the CLI and the worker start', async () => {
    const runs = await cli(['runs']);
    expect(runs).toMatchObject({ code: 0 });
    expect(lastLine(runs.output)).toBe('no run matches');
    const worker = new ProgramProcess('src/worker.ts', env, '"worker started"');
    await worker.start();
    expect(worker.output).toContain(`"namespace":"${NAMESPACE}"`);
    await worker.stop();
  });
});
