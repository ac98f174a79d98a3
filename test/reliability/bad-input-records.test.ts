import type { RunReport } from '../../src/connectors/elevo-user-sync/domain/run-report';
import type { ElevoUser } from '../../src/connectors/elevo-user-sync/elevo/schemas';
import { ELEVO_USER_SYNC, type ElevoSyncResult } from '../../src/connectors/elevo-user-sync/contract';
import { loadFixtures } from './support/bad-input-fixtures';
import { applyRecordFixtures, type AppliedFixture } from './support/record-fixture-applier';
import { RELIABILITY_TODAY, startReliabilityWorld, type ReliabilityWorld } from './support/reliability-world';
import { startInProcessRuntime, type ScenarioRuntime } from './support/scenario-runtime';

/**
 * Malformed Lucca records (test/fixtures/bad-input/record-*.json), all in one tenant and one run:
 * each ends as exactly the line its fixture names (a skip with its reason, or a write with its
 * manager issue), the run completes, and no linked user is suspended for a data problem.
 */
describe('bad input: Lucca employee records in an Elevo sync', () => {
  const T = 'records';
  const fixtures = loadFixtures('lucca-record');
  let world: ReliabilityWorld;
  let runtime: ScenarioRuntime;
  let before: Map<number, ElevoUser>;
  let applied: AppliedFixture[];
  let result: ElevoSyncResult;
  let report: RunReport;

  const sync = async (n: number) =>
    (await runtime.client().workflow.execute(ELEVO_USER_SYNC, {
      workflowId: `elevo-user-sync/${T}/${RELIABILITY_TODAY}/bad-input-${n}`,
      taskQueue: runtime.taskQueue,
      args: [{ tenantId: T, runDate: RELIABILITY_TODAY }],
    })) as ElevoSyncResult;

  beforeAll(async () => {
    world = await startReliabilityWorld([
      {
        id: T,
        seed: 5,
        employees: 90,
        elevo: { batchSize: 25, safety: { maxSuspendPercent: 100, maxSuspendCount: 1000, maxPopulationDropPercent: 100 } },
      },
    ]);
    runtime = await startInProcessRuntime(world);
    const first = await sync(1);
    expect(first).toMatchObject({ status: 'completed', failed: 0 });
    const users = world.elevo.users(T);
    before = new Map(users.filter((u) => u.externalId).map((u) => [Number(u.externalId), u]));
    applied = applyRecordFixtures(world.store(T), users, fixtures);
    result = await sync(2);
    report = await runtime.artifacts.requireJson<RunReport>(result.reportKey);
  });
  afterAll(async () => {
    await runtime?.stop();
    await world?.stop();
  });

  it('the run with every bad record completes, nothing fails and nobody is suspended', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
    expect(result.status).toBe('completed');
    expect(result.failed).toBe(0);
    expect(result.planned.suspend).toBe(0);
    expect(world.elevo.users(T).filter((u) => u.status === 'suspended' && before.get(Number(u.externalId))?.status === 'active')).toEqual(
      [],
    );
  });

  it.each(fixtures.map((f) => [f.id, f.description] as const))('%s — %s', (id) => {
    const { fixture, subjectId, peerId } = applied.find((a) => a.fixture.id === id)!;
    const lineOf = (luccaId: number) => report.lines.filter((l) => l.luccaId === luccaId);
    expect(lineOf(subjectId)).toEqual([expect.objectContaining(fixture.expect.subject)]);
    if (!fixture.expect.subject.managerIssue && fixture.expect.subject.action !== 'skip')
      expect(lineOf(subjectId)[0]!.managerIssue).toBeUndefined();
    if (fixture.expect.peer && peerId !== undefined) expect(lineOf(peerId)).toEqual([expect.objectContaining(fixture.expect.peer)]);
    const elevoUser = world.elevo.users(T).find((u) => u.externalId === String(subjectId));
    if (fixture.expect.elevo === 'absent') expect(elevoUser).toBeUndefined();
    if (fixture.expect.elevo === 'unchanged') expect(elevoUser).toEqual(before.get(subjectId));
    if (fixture.expect.elevo === 'created') expect(elevoUser).toMatchObject({ status: 'active', ...(fixture.expect.elevoFields ?? {}) });
    // A synced peer of a duplicate is left exactly as it was.
    if (fixture.peer === 'synced' && peerId !== undefined)
      expect(world.elevo.users(T).find((u) => u.externalId === String(peerId))).toEqual(before.get(peerId));
  });
});
