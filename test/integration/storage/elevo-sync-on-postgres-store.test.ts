import { WorkflowIdReusePolicy } from '@temporalio/client';
import { Client } from 'pg';
import { eraseEmployee } from '../../../src/client/erase-employee';
import type { RunReport } from '../../../src/connectors/elevo-user-sync/domain/run-report';
import { elevoUserSyncWorkflowId, type ElevoSyncResult, ELEVO_USER_SYNC } from '../../../src/connectors/elevo-user-sync/contract';
import type { ArtifactStore } from '../../../src/storage/artifact-store';
import { createArtifactStore } from '../../../src/storage/create-artifact-store';
import { startElevoSyncWorld, type ElevoSyncWorld } from '../../support/elevo-sync-world';
import { startPostgresServer, type PostgresServer } from '../../support/postgres-server';

const TENANT = 'acme';
const LUCCA_KEY = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
const ELEVO_TOKEN = 'test-elevo-token';
const TODAY = '2026-11-20';

/**
 * A real Elevo sync whose worker keeps its artifacts in PostgreSQL (configured by `storage:`):
 * another process's store reads the report and the last-success record, the rows are sealed, and
 * erasing one employee removes them from the real report, batches and results.
 */
describe('Elevo sync on the PostgreSQL artifact store', () => {
  let pg: PostgresServer;
  let world: ElevoSyncWorld;
  let elsewhere: ArtifactStore;
  let url: string;

  beforeAll(async () => {
    pg = await startPostgresServer();
    await pg.createDatabase('connectors');
    url = pg.url('connectors');
    world = await startElevoSyncWorld(
      [{ id: TENANT, luccaApiKey: LUCCA_KEY, elevoToken: ELEVO_TOKEN, employees: 60, seed: 7, today: TODAY, elevo: { batchSize: 10 } }],
      { storageUrl: url },
    );
    // What the CLI on an operator's machine builds: same config keys, same database, no shared disk.
    elsewhere = createArtifactStore(
      { storage: { kind: 'postgres', url: 'env:UNUSED', retentionDays: 30 } },
      { cipher: world.harness.codec.artifactCipher, resolveSecret: () => url },
    );
  });
  afterAll(async () => {
    await elsewhere?.close();
    await world?.stop();
    await pg?.stop();
  });

  it('stores every artifact of the run in PostgreSQL, sealed, readable by another process; erasure rewrites them', async () => {
    const result = (await world.harness.env.client.workflow.execute(ELEVO_USER_SYNC, {
      workflowId: `${elevoUserSyncWorkflowId(TENANT, TODAY)}/pg`,
      taskQueue: world.harness.taskQueue,
      args: [{ tenantId: TENANT, runDate: TODAY }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    })) as ElevoSyncResult;
    expect(result.status).toBe('completed');
    expect(result.applied).toBeGreaterThan(20);

    const report = await elsewhere.requireJson<RunReport>(result.reportKey);
    expect(report.lines.length).toBeGreaterThan(20);
    await expect(elsewhere.requireJson<{ sourceCount: number }>(`elevo-user-sync/${TENANT}/last-success`)).resolves.toMatchObject({
      runDate: TODAY,
    });

    const sql = new Client({ connectionString: url });
    await sql.connect();
    try {
      const { rows } = await sql.query<{ key: string; content: Buffer }>('SELECT key, content FROM artifacts WHERE tenant_id = $1', [
        TENANT,
      ]);
      expect(rows.map((r) => r.key)).toEqual(
        expect.arrayContaining([result.reportKey, `${result.runKey}/batches/000002`, `${result.runKey}/results/000002`]),
      );
      const someName = report.lines.find((l) => l.name)!.name!;
      for (const row of rows) {
        expect(row.content.subarray(0, 4).toString()).toBe('LCA2');
        expect(row.content.includes(Buffer.from(someName))).toBe(false);
      }
    } finally {
      await sql.end();
    }

    const target = report.lines.find((l) => l.luccaId !== null && l.outcome === 'applied')!.luccaId!;
    const erased = await eraseEmployee(
      { client: world.harness.env.client, namespace: world.harness.env.namespace ?? 'default', artifacts: elsewhere },
      TENANT,
      target,
    );
    expect(erased).toMatchObject({ reportsRewritten: 1, reportLinesRemoved: 1, planArtifactsRewritten: 1, plannedActionsRemoved: 1 });
    const after = await world.harness.artifacts.requireJson<RunReport>(result.reportKey);
    expect(after.lines.map((l) => l.luccaId)).not.toContain(target);
    expect(after.lines).toHaveLength(report.lines.length - 1);
    for (const key of await elsewhere.list(`${result.runKey}/batches`)) {
      const batch = await elsewhere.requireJson<{ actions: Array<{ action: { luccaId?: number } }> }>(key);
      const outcomes = await elsewhere.requireJson<{ outcomes: unknown[] }>(key.replace('/batches/', '/results/'));
      expect(batch.actions.map((a) => a.action.luccaId)).not.toContain(target);
      expect(outcomes.outcomes).toHaveLength(batch.actions.length);
    }
  });

  it('seals the run’s Temporal payloads under the tenant’s key; shredding the tenant makes its history unreadable', async () => {
    const workflowId = `${elevoUserSyncWorkflowId(TENANT, TODAY)}/pg`;
    const history = await world.harness.env.client.workflow.getHandle(workflowId).fetchHistory();
    const payloads = (history.events ?? []).flatMap((e) => [
      ...(e.workflowExecutionStartedEventAttributes?.input?.payloads ?? []),
      ...(e.activityTaskScheduledEventAttributes?.input?.payloads ?? []),
      ...(e.activityTaskCompletedEventAttributes?.result?.payloads ?? []),
      ...(e.workflowExecutionCompletedEventAttributes?.result?.payloads ?? []),
    ]);
    expect(payloads.length).toBeGreaterThan(5);
    for (const p of payloads) expect(Buffer.from(p.metadata?.['encryption-tenant'] ?? []).toString()).toBe(TENANT);
    await expect(world.harness.codec.decode(payloads)).resolves.toHaveLength(payloads.length);

    await world.harness.artifacts.shredTenant(TENANT);
    await expect(world.harness.codec.decode(payloads.slice(0, 1))).rejects.toThrow(/tenant "acme" was shredded/);
    await expect(elsewhere.list(`elevo-user-sync/${TENANT}`)).resolves.toEqual([]);
  });
});
