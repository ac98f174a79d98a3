import { ELEVO_USER_SYNC, type ElevoSyncResult } from '../../../src/connectors/elevo-user-sync/contract';
import type { RunReport } from '../../../src/connectors/elevo-user-sync/domain/run-report';
import { elevoDuplicates, elevoFingerprint, elevoScriptLeft, fingerprintDifferences } from '../support/elevo-state';
import { faultPlan, NO_FAULTS, TWENTY_PERCENT, type FaultMix } from '../support/fault-plan';
import { RELIABILITY_TODAY, type ReliabilityWorld, type WorldTenant } from '../support/reliability-world';
import type { ScenarioRuntime } from '../support/scenario-runtime';
import { applyHrChanges } from './hr-changes';
import type { ScenarioRow } from './scenario-row';

export interface ElevoFaultScenarioOptions {
  employees: number;
  /** Syncs per tenant: the first creates everyone, each later one follows a day of HR changes. */
  rounds: number;
  mix?: FaultMix;
  seed?: number;
}

/** The two tenants of the scenario: the same generated company, one synced calmly, one under faults. */
export function elevoFaultTenants(o: ElevoFaultScenarioOptions): WorldTenant[] {
  const seed = o.seed ?? 7;
  return [
    { id: 'elevo-calm', seed, employees: o.employees, elevo: { batchSize: 25 } },
    { id: 'elevo-storm', seed, employees: o.employees, elevo: { batchSize: 25 } },
  ];
}

/**
 * Runs the same sequence of syncs for both tenants, the "storm" one with `mix` of its Lucca and
 * Elevo calls failing (5xx, 429 + Retry-After, timeouts, resets), and compares the final Elevo
 * accounts. Every run must complete with no failed line.
 */
export async function runElevoSyncUnderFaults(
  world: ReliabilityWorld,
  runtime: ScenarioRuntime,
  o: ElevoFaultScenarioOptions,
): Promise<ScenarioRow & { reports: RunReport[] }> {
  const mix = o.mix ?? TWENTY_PERCENT;
  const luccaPlan = faultPlan(mix, 101);
  const elevoPlan = faultPlan(mix, 202);
  world.lucca.setFaults('elevo-storm', { reset: true, ...luccaPlan.options });
  world.elevo.setFaults('elevo-storm', { reset: true, ...elevoPlan.options });
  const notes: string[] = [];
  const reports: RunReport[] = [];
  let runs = 0;
  let faultsInjected = 0;
  try {
    for (let round = 0; round < o.rounds; round++) {
      if (round > 0) for (const t of ['elevo-calm', 'elevo-storm']) applyHrChanges(world.store(t), round);
      for (const tenantId of ['elevo-calm', 'elevo-storm']) {
        const result = (await runtime.client().workflow.execute(ELEVO_USER_SYNC, {
          workflowId: `elevo-user-sync/${tenantId}/${RELIABILITY_TODAY}/faults-${round}-${Date.now()}`,
          taskQueue: runtime.taskQueue,
          args: [{ tenantId, runDate: RELIABILITY_TODAY }],
        })) as ElevoSyncResult;
        runs += tenantId === 'elevo-storm' ? 1 : 0;
        if (result.status !== 'completed' || result.failed > 0)
          notes.push(`${tenantId} round ${round}: ${result.status}, ${result.failed} failed`);
        reports.push(await runtime.artifacts.requireJson<RunReport>(result.reportKey));
      }
    }
  } finally {
    // Count what was consumed of the scripts before switching the faults off.
    faultsInjected =
      luccaPlan.injectedAfter(luccaPlan.scriptLength - world.lucca.faults('elevo-storm').script.length) +
      elevoPlan.injectedAfter(elevoPlan.scriptLength - (await elevoScriptLeft(world.elevo, 'elevo-storm')));
    world.lucca.setFaults('elevo-storm', NO_FAULTS);
    world.elevo.setFaults('elevo-storm', NO_FAULTS);
  }
  const calm = world.elevo.users('elevo-calm');
  const storm = world.elevo.users('elevo-storm');
  const differences = fingerprintDifferences(elevoFingerprint(calm), elevoFingerprint(storm));
  notes.push(...differences.slice(0, 10));
  return {
    scenario: `elevo sync, ${Math.round(mix.rate * 100)}% Lucca+Elevo faults`,
    runs,
    faultsInjected,
    finalStateMatches: differences.length === 0 && notes.length === 0 && calm.length > 0,
    duplicates: elevoDuplicates(storm) + Math.max(0, storm.length - calm.length),
    notes,
    reports,
  };
}
