import { SCREENING_INTAKE, type ScreeningIntakeResult } from '../../../src/connectors/aequivalent-screening/contract';
import { faultPlan, NO_FAULTS, TWENTY_PERCENT, type FaultMix } from '../support/fault-plan';
import type { ReliabilityWorld, WorldTenant } from '../support/reliability-world';
import type { ScenarioRuntime } from '../support/scenario-runtime';
import { driveDossiersToReport, orderFingerprints, screeningDuplicates } from '../support/screening-state';
import type { ScenarioRow } from './scenario-row';

export interface ScreeningFaultScenarioOptions {
  employees: number;
  screeningRatio: number;
  mix?: FaultMix;
  seed?: number;
}

export function screeningFaultTenants(o: ScreeningFaultScenarioOptions): WorldTenant[] {
  const seed = o.seed ?? 11;
  const screening = { screeningRatio: o.screeningRatio, pollIntervalMinutes: 0.05 };
  return [
    { id: 'screen-calm', seed, employees: o.employees, screening },
    { id: 'screen-storm', seed, employees: o.employees, screening },
  ];
}

/**
 * The daily intake and every order it starts, for the same company twice: calmly, and with `mix`
 * of the Lucca and Aequivalent calls failing. Each valid order is driven to a report; the final
 * state (outcomes, Lucca status, one dossier per order with its documents) must be the same.
 */
export async function runScreeningUnderFaults(
  world: ReliabilityWorld,
  runtime: ScenarioRuntime,
  o: ScreeningFaultScenarioOptions,
): Promise<ScenarioRow> {
  const mix = o.mix ?? TWENTY_PERCENT;
  const luccaPlan = faultPlan(mix, 303);
  const aeqPlan = faultPlan(mix, 404);
  const storm = world.aequivalent.get('screen-storm')!;
  world.lucca.setFaults('screen-storm', { reset: true, ...luccaPlan.options });
  storm.setFaults({ reset: true, ...aeqPlan.options });
  const notes: string[] = [];
  const fingerprints = new Map<string, Awaited<ReturnType<typeof orderFingerprints>>>();
  let orders = 0;
  let faultsInjected = 0;
  try {
    const intakes = await Promise.all(
      ['screen-calm', 'screen-storm'].map(async (tenantId) => {
        const result = (await runtime.client().workflow.execute(SCREENING_INTAKE, {
          taskQueue: runtime.taskQueue,
          workflowId: `screening-intake/${tenantId}/faults-${Date.now()}`,
          args: [{ tenantId }],
        })) as ScreeningIntakeResult;
        const ids = [...result.started, ...result.restarted, ...result.joined];
        await driveDossiersToReport(runtime.client(), world.aequivalent.get(tenantId)!, tenantId, ids);
        fingerprints.set(
          tenantId,
          await orderFingerprints(runtime.client(), world.store(tenantId), world.aequivalent.get(tenantId)!, tenantId, ids),
        );
        return { tenantId, result, ids };
      }),
    );
    orders = intakes.find((i) => i.tenantId === 'screen-storm')!.ids.length;
    for (const i of intakes) if (i.result.refused.length > 0) notes.push(`${i.tenantId}: ${i.result.refused.length} refused`);
  } finally {
    // Count what was consumed of the scripts before switching the faults off.
    faultsInjected =
      luccaPlan.injectedAfter(luccaPlan.scriptLength - world.lucca.faults('screen-storm').script.length) +
      aeqPlan.injectedAfter(aeqPlan.scriptLength - storm.setFaults({}).script.length);
    world.lucca.setFaults('screen-storm', NO_FAULTS);
    storm.setFaults(NO_FAULTS);
  }
  const calm = fingerprints.get('screen-calm') ?? [];
  const stormy = fingerprints.get('screen-storm') ?? [];
  const matches = JSON.stringify(calm) === JSON.stringify(stormy);
  if (!matches)
    notes.push(
      `calm ${JSON.stringify(calm.map((f) => [f.luccaId, f.outcome, f.dossiers, f.documents.length]))} vs storm ${JSON.stringify(stormy.map((f) => [f.luccaId, f.outcome, f.dossiers, f.documents.length]))}`,
    );
  const placed = stormy.filter((f) => f.dossiers > 0).length;
  return {
    scenario: `screening orders, ${Math.round(mix.rate * 100)}% Lucca+Aequivalent faults`,
    runs: orders + 1,
    faultsInjected,
    finalStateMatches: matches && placed > 0 && stormy.every((f) => f.dossiers <= 1) && notes.length === 0,
    duplicates: screeningDuplicates(storm, 'screen-storm') + stormy.reduce((n, f) => n + Math.max(0, f.dossiers - 1), 0),
    notes,
  };
}
