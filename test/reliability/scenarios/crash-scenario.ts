import { WorkflowFailedError, type Client } from '@temporalio/client';
import { GENERATED_CODES } from '../../../dev/simulators/lucca';
import { SeededRandom } from '../../../dev/simulators/simulator-kit/seeded-random';
import { ELEVO_USER_SYNC, type ElevoSyncResult } from '../../../src/connectors/elevo-user-sync/contract';
import {
  SCREENING_INTAKE,
  screeningOrderWorkflowId,
  type ScreeningIntakeResult,
} from '../../../src/connectors/aequivalent-screening/contract';
import type { CrashRuntime } from '../support/crash-runtime';
import { elevoDuplicates, elevoFingerprint, fingerprintDifferences } from '../support/elevo-state';
import { RELIABILITY_TODAY, type ReliabilityWorld, type WorldTenant } from '../support/reliability-world';
import { driveDossiersToReport, orderFingerprints, screeningDuplicates } from '../support/screening-state';
import { applyHrChanges } from './hr-changes';
import type { ScenarioRow } from './scenario-row';

export interface CrashScenarioOptions {
  employees: number;
  /** Elevo syncs with HR changes between them (the calm twin gets the same ones). */
  rounds: number;
  /** At least this many SIGKILLs before the scenario may end (extra unchanged re-runs if needed). */
  minKills: number;
  /** The Temporal server is restarted right after this kill (0 = never). */
  restartServerAfterKill: number;
  screeningEmployees: number;
  seed?: number;
}

export function crashTenants(o: CrashScenarioOptions): WorldTenant[] {
  const seed = o.seed ?? 23;
  const screening = { screeningRatio: 0.2, pollIntervalMinutes: 0.05 };
  return [
    { id: 'crash-sync-calm', seed, employees: o.employees, elevo: { batchSize: 10 } },
    { id: 'crash-sync', seed, employees: o.employees, elevo: { batchSize: 10 } },
    { id: 'crash-screen-calm', seed: seed + 1, employees: o.screeningEmployees, screening },
    { id: 'crash-screen', seed: seed + 1, employees: o.screeningEmployees, screening },
  ];
}

/** Waits for a result through worker kills and server restarts (the client call itself may fail meanwhile). */
async function resultOf<T>(client: Client, workflowId: string): Promise<T> {
  for (;;) {
    try {
      return (await client.workflow.getHandle(workflowId).result()) as T;
    } catch (err) {
      if (err instanceof WorkflowFailedError) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function startWithRetry(
  client: Client,
  type: string,
  options: { workflowId: string; taskQueue: string; args: unknown[] },
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.workflow.start(type, options);
      return;
    } catch (err) {
      if ((err as Error).name === 'WorkflowExecutionAlreadyStartedError') return;
      if (attempt > 60) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * Elevo syncs and a batch of screening orders while the worker process is SIGKILLed at random
 * moments (and restarted), and the Temporal server is restarted once mid-run. Compared with
 * twins run before the chaos, without any.
 */
export async function runCrashScenario(world: ReliabilityWorld, runtime: CrashRuntime, o: CrashScenarioOptions): Promise<ScenarioRow[]> {
  const client = () => runtime.client();
  const syncOnce = async (tenantId: string, tag: string) => {
    const workflowId = `elevo-user-sync/${tenantId}/${RELIABILITY_TODAY}/${tag}`;
    await startWithRetry(client(), ELEVO_USER_SYNC, {
      workflowId,
      taskQueue: runtime.taskQueue,
      args: [{ tenantId, runDate: RELIABILITY_TODAY }],
    });
    return { workflowId, result: resultOf<ElevoSyncResult>(client(), workflowId) };
  };
  const toOrder = (tenantId: string) => {
    const store = world.store(tenantId);
    const label = (id: number) => {
      const e = store.getExtendedValue(id, GENERATED_CODES.orderStatus);
      return e && !Array.isArray(e) ? { id: e.id, label: store.listEntryLabel(GENERATED_CODES.orderStatus, Number(e.value)) } : undefined;
    };
    return [...store.users.keys()].flatMap((id) => {
      const l = label(id);
      return l?.label === 'Dossier à commander' ? [screeningOrderWorkflowId(tenantId, id, String(l.id))] : [];
    });
  };
  const screening = async (tenantId: string) => {
    const intakeId = `screening-intake/${tenantId}/crash`;
    await startWithRetry(client(), SCREENING_INTAKE, { workflowId: intakeId, taskQueue: runtime.taskQueue, args: [{ tenantId }] });
    const intake = await resultOf<ScreeningIntakeResult>(client(), intakeId);
    const ids = [...intake.started, ...intake.restarted, ...intake.joined];
    await driveDossiersToReport(client(), world.aequivalent.get(tenantId)!, tenantId, ids, 600_000);
    for (const id of ids) await resultOf(client(), id);
    return orderFingerprints(client(), world.store(tenantId), world.aequivalent.get(tenantId)!, tenantId, ids);
  };

  // 1. The calm twins, before any chaos.
  for (let round = 0; round < o.rounds; round++) {
    if (round > 0) applyHrChanges(world.store('crash-sync-calm'), round);
    await (
      await syncOnce('crash-sync-calm', `calm-${round}`)
    ).result;
  }
  const calmOrders = await screening('crash-screen-calm');

  // 2. The same work under chaos. Elevo answers a little slowly so kills land mid-batch.
  world.elevo.setFaults('crash-sync', { latencyMs: 15 });
  const active = new Set<string>(toOrder('crash-screen'));
  active.add('screening-intake/crash-screen/crash');
  const rng = new SeededRandom(o.seed ?? 23);
  let chaosOn = true;
  let serverRestarts = 0;
  const chaos = (async () => {
    while (chaosOn) {
      await new Promise((r) => setTimeout(r, rng.int(700, 2500)));
      if (!chaosOn) break;
      const t0 = Date.now();
      await runtime.crashWorker([...active]);
      if (process.env.CHAOS_DEBUG) console.log(`[chaos] kill ${runtime.worker.kills} + restart took ${Date.now() - t0} ms`);
      if (runtime.worker.kills === o.restartServerAfterKill) {
        await runtime.restartServer();
        serverRestarts += 1;
      }
    }
  })();

  const notes: string[] = [];
  let syncRuns = 0;
  let stormOrders: Awaited<ReturnType<typeof screening>> = [];
  const deadline = Date.now() + 15 * 60_000;
  try {
    const screeningDone = screening('crash-screen').then((f) => (stormOrders = f));
    for (let round = 0; round < o.rounds || runtime.worker.kills < o.minKills; round++) {
      if (round > 0 && round < o.rounds) applyHrChanges(world.store('crash-sync'), round);
      const run = await syncOnce('crash-sync', `chaos-${round}`);
      active.add(run.workflowId);
      const result = await run.result;
      syncRuns += 1;
      if (result.status !== 'completed' || result.failed > 0) notes.push(`round ${round}: ${result.status}, ${result.failed} failed`);
      if (Date.now() > deadline) {
        notes.push(`only ${runtime.worker.kills} kills before the deadline`);
        break;
      }
    }
    await screeningDone;
  } finally {
    chaosOn = false;
    await chaos;
    world.elevo.setFaults('crash-sync', { reset: true });
  }

  const calmUsers = world.elevo.users('crash-sync-calm');
  const stormUsers = world.elevo.users('crash-sync');
  const differences = fingerprintDifferences(elevoFingerprint(calmUsers), elevoFingerprint(stormUsers));
  const ordersMatch = JSON.stringify(calmOrders) === JSON.stringify(stormOrders);
  const killNote = `${runtime.worker.kills} SIGKILLs, ${serverRestarts} Temporal restart(s)`;
  return [
    {
      scenario: 'elevo sync, worker SIGKILLs + Temporal restart',
      runs: syncRuns,
      faultsInjected: runtime.worker.kills + serverRestarts,
      finalStateMatches: differences.length === 0 && notes.length === 0 && calmUsers.length > 0,
      duplicates: elevoDuplicates(stormUsers) + Math.max(0, stormUsers.length - calmUsers.length),
      notes: [killNote, ...notes, ...differences.slice(0, 10)],
    },
    {
      scenario: 'screening orders, same kills + restart',
      runs: stormOrders.length + 1,
      faultsInjected: runtime.worker.kills + serverRestarts,
      finalStateMatches: ordersMatch && stormOrders.some((f) => f.dossiers === 1),
      duplicates:
        screeningDuplicates(world.aequivalent.get('crash-screen')!, 'crash-screen') +
        stormOrders.reduce((n, f) => n + Math.max(0, f.dossiers - 1), 0),
      notes: ordersMatch
        ? [killNote]
        : [
            killNote,
            `calm ${JSON.stringify(calmOrders.map((f) => [f.outcome, f.dossiers]))} vs chaos ${JSON.stringify(stormOrders.map((f) => [f.outcome, f.dossiers]))}`,
          ],
    },
  ];
}
