/**
 * `npm run chaos [-- --scale N]`: the reliability scenarios at a chosen scale, with a table of
 * scenario | runs | faults injected | final state matches | duplicates. Exit code 1 on any mismatch
 * or duplicate. Scale 1 ≈ the CI sizes; the crash scenario always does ≥ 10 SIGKILLs.
 * `--heartbeat-detection`: the killed worker's activities are not failed by hand; the server finds
 * them by their missing heartbeats, and the time until each runs again is printed (median, max).
 */
import { runCrashScenario, crashTenants } from '../test/reliability/scenarios/crash-scenario';
import { elevoFaultTenants, runElevoSyncUnderFaults } from '../test/reliability/scenarios/elevo-sync-under-faults';
import { formatTable, type ScenarioRow } from '../test/reliability/scenarios/scenario-row';
import { runScreeningUnderFaults, screeningFaultTenants } from '../test/reliability/scenarios/screening-under-faults';
import { startCrashRuntime } from '../test/reliability/support/crash-runtime';
import { startReliabilityWorld } from '../test/reliability/support/reliability-world';
import { startInProcessRuntime } from '../test/reliability/support/scenario-runtime';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

async function main(): Promise<void> {
  const scale = option('scale', 1);
  const kills = Math.round(option('kills', 12));
  const only = process.argv.includes('--faults-only') ? 'faults' : process.argv.includes('--crash-only') ? 'crash' : 'all';
  const rows: ScenarioRow[] = [];
  let recoveryLine = '';

  if (only !== 'crash') {
    const elevo = { employees: Math.round(120 * scale), rounds: 3 };
    const screening = { employees: Math.round(30 * scale), screeningRatio: 0.2 };
    const world = await startReliabilityWorld([...elevoFaultTenants(elevo), ...screeningFaultTenants(screening)]);
    const runtime = await startInProcessRuntime(world);
    try {
      const { reports: _reports, ...elevoRow } = await runElevoSyncUnderFaults(world, runtime, elevo);
      rows.push(elevoRow);
      rows.push(await runScreeningUnderFaults(world, runtime, screening));
    } finally {
      await runtime.stop();
      await world.stop();
    }
  }

  if (only !== 'faults') {
    const crash = {
      employees: Math.round(200 * scale),
      rounds: 3,
      minKills: kills,
      restartServerAfterKill: Math.ceil(kills / 2),
      screeningEmployees: Math.round(30 * scale),
    };
    const world = await startReliabilityWorld(crashTenants(crash));
    const detection = process.argv.includes('--heartbeat-detection') ? 'heartbeat' : 'by-hand';
    const runtime = await startCrashRuntime(world, { detection });
    try {
      rows.push(...(await runCrashScenario(world, runtime, crash)));
      if (detection === 'heartbeat') recoveryLine = recoverySummary(runtime.recoveries);
    } finally {
      await runtime.stop();
      await world.stop();
    }
  }

  console.log(`\nChaos at scale ${scale}\n`);
  console.log(formatTable(rows));
  for (const r of rows) if (r.notes.length > 0) console.log(`  ${r.scenario}: ${r.notes.join('; ')}`);
  if (recoveryLine) console.log(recoveryLine);
  const ok = rows.every((r) => r.finalStateMatches && r.duplicates === 0);
  console.log(ok ? '\nall scenarios ended in the fault-free state, no duplicates' : '\nFAILED: a scenario diverged or duplicated');
  process.exit(ok ? 0 : 1);
}

/** Kill → the killed activity running again elsewhere, as the server detects it (heartbeat timeout). */
function recoverySummary(ms: number[]): string {
  if (ms.length === 0) return 'recovery after SIGKILL: no activity was running at a kill';
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! / 1000).toFixed(1);
  return `recovery after SIGKILL (heartbeat detection): ${ms.length} activities, median ${at(0.5)} s, max ${at(1)} s`;
}

main().catch((err) => {
  console.error(`[chaos] ${(err as Error).stack ?? err}`);
  process.exit(1);
});
