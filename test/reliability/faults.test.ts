import { runElevoSyncUnderFaults, elevoFaultTenants } from './scenarios/elevo-sync-under-faults';
import { runScreeningUnderFaults, screeningFaultTenants } from './scenarios/screening-under-faults';
import { startReliabilityWorld, type ReliabilityWorld } from './support/reliability-world';
import { startInProcessRuntime, type ScenarioRuntime } from './support/scenario-runtime';

/**
 * 20 % of the calls to Lucca, Elevo and Aequivalent fail (5xx, 429 with Retry-After, timeouts,
 * connection resets): the runs end exactly where fault-free runs of the same data end.
 */
describe('reliability: the same final state under 20 % faults', () => {
  const elevoScale = { employees: 90, rounds: 2 };
  // Enough orders that the storm reaches Lucca and Aequivalent several times (an order reads Lucca twice, plus its files).
  const screeningScale = { employees: 30, screeningRatio: 0.4 };
  let world: ReliabilityWorld;
  let runtime: ScenarioRuntime;

  beforeAll(async () => {
    world = await startReliabilityWorld([...elevoFaultTenants(elevoScale), ...screeningFaultTenants(screeningScale)]);
    runtime = await startInProcessRuntime(world);
  });
  afterAll(async () => {
    await runtime?.stop();
    await world?.stop();
  });

  it('an Elevo sync (first run, then a day of HR changes) ends in the fault-free state, no duplicate user', async () => {
    const row = await runElevoSyncUnderFaults(world, runtime, elevoScale);
    expect(row.notes).toEqual([]);
    expect(row.faultsInjected).toBeGreaterThan(10);
    expect(row.duplicates).toBe(0);
    expect(row.finalStateMatches).toBe(true);
    // Every storm run completed and applied everything: no failed line anywhere.
    expect(row.reports.every((r) => r.status === 'completed' && r.failed === 0)).toBe(true);
    const lastStorm = row.reports[row.reports.length - 1]!;
    expect(
      lastStorm.lines
        .filter((l) => l.action === 'suspend')
        .map((l) => l.reason)
        .sort(),
    ).toEqual(['contract-ended', 'gone-from-source']);
  });

  it('a batch of screening orders ends in the fault-free state: one dossier per order, no duplicate document', async () => {
    const row = await runScreeningUnderFaults(world, runtime, screeningScale);
    expect(row.notes).toEqual([]);
    expect(row.faultsInjected).toBeGreaterThanOrEqual(2);
    expect(row.duplicates).toBe(0);
    expect(row.finalStateMatches).toBe(true);
    expect(row.runs).toBeGreaterThanOrEqual(3);
  });
});
