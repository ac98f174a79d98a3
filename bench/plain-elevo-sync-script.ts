import { TenantDirectory } from '../src/config/tenant-directory';
import { applyElevoAction } from '../src/activities/elevo-user-sync/elevo-action-applier';
import { POPULATION_PAGES_IN_FLIGHT } from '../src/activities/elevo-user-sync/elevo-lucca-population';
import { runWithPrerequisites } from '../src/activities/elevo-user-sync/run-with-prerequisites';
import { managerPrerequisites } from '../src/connectors/elevo-user-sync/domain/action-ordering';
import { computeSyncPlan } from '../src/connectors/elevo-user-sync/domain/compute-sync-plan';
import { extendedCodesUsed, luccaFieldSelection, toSourceEmployee } from '../src/connectors/elevo-user-sync/domain/lucca-source-mapping';
import { reportLineFor, type RunReport, type RunReportLine } from '../src/connectors/elevo-user-sync/domain/run-report';
import { evaluateSafety } from '../src/connectors/elevo-user-sync/domain/safety-check';
import { employmentState } from '../src/connectors/elevo-user-sync/domain/source-validation';
import type { SkipAction, SourceEmployee, SyncAction, TargetUser, WriteAction } from '../src/connectors/elevo-user-sync/domain/sync-model';
import { IntegrationError } from '../src/integrations/http/integration-error';
import type { ExtensionDefinition } from '../src/integrations/lucca/lucca-schemas';
import { ArtifactStore } from '../src/storage/artifact-store';
import { buildRuntime } from '../src/runtime/connectors-runtime';
import { loadBenchConfig, requireEnv } from './bench-config';
import { processMemory, sendToParent } from './child-process-probe';
import { elevoClientOf } from '../src/connectors/elevo-user-sync/elevo/client-for-tenant';

export interface PlainSyncResult {
  wallMs: number;
  held: boolean;
  writeCount: number;
  applied: number;
  failed: number;
  luccaRequests: number;
  elevoRequests: number;
}

/**
 * The Elevo sync as a plain script, without Temporal: the same clients (TenantDirectory, shared
 * Lucca budget), the same field selection and paging, the same plan, the same batches applied in
 * order with the same idempotent writes, and the same report stored at the end. What it does not
 * have is what Temporal buys: durable progress (plan and batch results in the artifact store,
 * resumable batches, continue-as-new), retries, the hold-for-approval wait, visibility.
 */
export async function plainElevoSync(
  tenants: TenantDirectory,
  artifacts: ArtifactStore,
  tenantId: string,
  runDate: string,
  runKey: string,
): Promise<PlainSyncResult> {
  const startedAt = performance.now();
  const config = tenants.tenant(tenantId).elevo;
  if (!config) throw new Error(`tenant ${tenantId} has no elevo section`);
  const lucca = tenants.lucca(tenantId);
  const elevo = elevoClientOf(tenants, tenantId);
  const luccaBefore = lucca.requestCount;
  const elevoBefore = elevo.requestCount;

  const mapping = { exclusionFieldCode: config.exclusion.fieldCode, extraFields: config.extraFields };
  const definitions = new Map<string, ExtensionDefinition>();
  for (const code of extendedCodesUsed(mapping)) {
    const definition = await lucca.getExtensionDefinition(code);
    if (definition) definitions.set(code.toLowerCase(), definition);
  }
  const source: SourceEmployee[] = [];
  for await (const page of lucca.listUsers({
    fields: luccaFieldSelection(mapping),
    formerEmployees: true,
    pagesInFlight: POPULATION_PAGES_IN_FLIGHT,
  })) {
    for (const user of page.items) {
      const employee = toSourceEmployee(user, { ...mapping, definitions });
      if (employee) source.push(employee);
    }
  }
  const target: TargetUser[] = [];
  for await (const page of elevo.listUserPages()) target.push(...page);

  const plan = computeSyncPlan(source, target, {
    today: runDate,
    exclusionPolicy: config.exclusion.policy,
    extraFieldKeys: Object.keys(config.extraFields),
  });
  const writes = plan.actions.filter((a): a is WriteAction => a.kind !== 'skip');
  const skips = plan.actions.filter((a): a is SkipAction => a.kind === 'skip');
  const verdict = evaluateSafety(
    {
      suspendCount: plan.counts.suspend,
      managedActiveCount: target.filter((u) => u.externalId && u.lockedAttributes.length > 0 && u.status === 'active').length,
      sourceCount: source.filter((e) => employmentState(e, runDate) === 'active').length,
      previousSourceCount: null,
    },
    config.safety,
  );
  const names = new Map<number, string | null>(source.map((e) => [e.luccaId, [e.firstName, e.lastName].filter(Boolean).join(' ') || null]));
  const nameOf = (a: SyncAction) => (a.luccaId !== undefined ? (names.get(a.luccaId) ?? null) : null);

  const lines: RunReportLine[] = [];
  let applied = 0;
  let failed = 0;
  if (!verdict.hold) {
    // Same concurrency and manager-first order as the worker (`elevo.concurrency`).
    for (let i = 0; i < writes.length; i += config.batchSize) {
      const batch = writes.slice(i, i + config.batchSize);
      const prerequisites = managerPrerequisites(batch);
      await runWithPrerequisites(
        batch.length,
        config.concurrency,
        (k) => prerequisites[k],
        async (k) => {
          const action = batch[k]!;
          try {
            await applyElevoAction(elevo, action, runKey);
            applied++;
            lines.push(reportLineFor(action, nameOf(action), 'applied'));
          } catch (err) {
            if (!(err instanceof IntegrationError) || err.retryable) throw err;
            failed++;
            lines.push(reportLineFor(action, nameOf(action), 'failed', err.failureType));
          }
        },
      );
    }
  }
  for (const action of skips) lines.push(reportLineFor(action, nameOf(action), 'skipped'));
  const report: RunReport = {
    tenantId,
    runKey,
    runDate,
    status: verdict.hold ? 'rejected' : 'completed',
    generatedAt: new Date().toISOString(),
    planned: { ...plan.counts },
    applied,
    failed,
    holdReasons: verdict.reasons,
    lines,
  };
  await artifacts.putJson(`${runKey}/report`, report);
  return {
    wallMs: performance.now() - startedAt,
    held: verdict.hold,
    writeCount: writes.length,
    applied,
    failed,
    luccaRequests: lucca.requestCount - luccaBefore,
    elevoRequests: elevo.requestCount - elevoBefore,
  };
}

/** Child-process entry: `plain-elevo-sync-script.ts <tenantId> <runDate> <runKey>`; prints the result. */
async function main(): Promise<void> {
  const [tenantId, runDate, runKey] = process.argv.slice(2);
  if (!tenantId || !runDate || !runKey) throw new Error('usage: plain-elevo-sync-script.ts <tenantId> <runDate> <runKey>');
  const loaded = loadBenchConfig(requireEnv('BENCH_CONFIG'));
  // Same work as the worker: the same composition root, the report sealed at rest with the same keys.
  const { tenants, artifacts } = buildRuntime({ loaded, settings: { dataDir: requireEnv('BENCH_DATA_DIR') } });
  const cpuBefore = process.cpuUsage();
  const result = await plainElevoSync(tenants, artifacts, tenantId, runDate, runKey);
  const cpu = process.cpuUsage(cpuBefore);
  // Read here: once the script exits, /proc/<pid> is gone.
  sendToParent({
    type: 'result',
    result,
    peakRssBytes: processMemory(process.pid)?.peakRssBytes ?? NaN,
    cpuMs: (cpu.user + cpu.system) / 1000,
  });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`[plain-elevo-sync] failed: ${(err as Error).stack ?? err}`);
    process.exit(1);
  });
}
