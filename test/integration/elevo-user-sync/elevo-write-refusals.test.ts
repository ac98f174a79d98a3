import type { RunReport } from '../../../src/connectors/elevo-user-sync/domain/run-report';
import { renderElevoRunReport } from '../../../src/connectors/elevo-user-sync/report/render-run-report';
import type { ElevoSyncResult } from '../../../src/connectors/elevo-user-sync/contract';
import { startElevoSyncWorld, type ElevoSyncWorld } from '../../support/elevo-sync-world';
import { isExcludedFromElevo } from '../../support/excluded-from-elevo';

const TENANT = 'refusing';
const LUCCA_KEY = '0b6f2a7e-3c1d-4e5f-8a9b-0c1d2e3f4a5b';
const ELEVO_TOKEN = 'refusing-elevo-token';
const TODAY = '2026-11-20';

/** Elevo refuses some writes for good (409 / 422, over real sockets): the report must say so. */
describe('Elevo permanently refusing writes', () => {
  let world: ElevoSyncWorld;

  beforeAll(async () => {
    world = await startElevoSyncWorld([
      { id: TENANT, luccaApiKey: LUCCA_KEY, elevoToken: ELEVO_TOKEN, employees: 40, seed: 7, today: TODAY, elevo: { batchSize: 10 } },
    ]);
  });
  afterAll(async () => world?.stop());

  it('a refused create is a failed line with its error code, never "applied", and the counts match', async () => {
    const excluded = (id: number) => isExcludedFromElevo(world.store, id);
    const current = [...world.store.users.values()].filter((u) => world.store.statusOf(u) === 'current' && !excluded(u.id));
    const leaves = current.filter((u) => !current.some((r) => r.managerId === u.id));
    const [conflicted, invalid] = leaves;
    world.elevo.refuseWrites(TENANT, [String(conflicted!.id)], { status: 409, code: 'email_taken' });
    world.elevo.refuseWrites(TENANT, [String(invalid!.id)], { status: 422, code: 'invalid_request' });

    const result = (await world.harness.env.client.workflow.execute('elevoUserSync', {
      workflowId: `elevo-user-sync/${TENANT}/${TODAY}/refusals`,
      taskQueue: world.harness.taskQueue,
      args: [{ tenantId: TENANT, runDate: TODAY }],
    })) as ElevoSyncResult;

    expect(result.status).toBe('completed');
    expect(result.failed).toBe(2);
    expect(result.applied).toBe(result.planned.create - 2);
    const created = new Set(world.elevo.users(TENANT).map((u) => u.externalId));
    expect(created.has(String(conflicted!.id))).toBe(false);
    expect(created.has(String(invalid!.id))).toBe(false);
    expect(created.size).toBe(result.applied);

    const report = await world.harness.artifacts.requireJson<RunReport>(result.reportKey);
    const lineOf = (id: number) => report.lines.find((l) => l.luccaId === id);
    // Type and status are Elevo's answer; the code after them is the client's reading of the contract
    // (no e-mail or external id explains this 409, so it says only "conflict").
    expect(lineOf(conflicted!.id)).toMatchObject({ action: 'create', outcome: 'failed', error: 'ElevoConflictError:409:conflict' });
    expect(lineOf(invalid!.id)).toMatchObject({ action: 'create', outcome: 'failed', error: 'ElevoBadRequestError:422:invalid_request' });
    const writeLines = report.lines.filter((l) => l.action !== 'skip');
    expect(writeLines.filter((l) => l.outcome === 'applied')).toHaveLength(report.applied);
    expect(writeLines.filter((l) => l.outcome === 'failed')).toHaveLength(report.failed);
    expect(report.applied + report.failed).toBe(writeLines.length);

    const text = renderElevoRunReport(report, 'text');
    const needsAction = text.split('Every line')[0]!;
    expect(needsAction).toContain(`[${lineOf(conflicted!.id)!.error}]`);
    expect(needsAction).toContain('[ElevoBadRequestError:422:invalid_request]');
    expect(text).toContain(`${result.applied} applied, 2 failed writes`);
  });
});
