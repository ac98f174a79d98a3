import { elevoUserSyncWorkflowId, ELEVO_USER_SYNC, type ElevoSyncResult, type ElevoUserSyncInput } from '../src/shared/elevo-user-sync-contract';
import { generateLuccaTenant } from '../src/sandbox/lucca';
import { ELEVO_TOKEN, LUCCA_KEY, TASK_QUEUE, type BenchWorld } from './bench-world';
import { historyMetrics, type HistoryMetrics } from './history-metrics';
import { indexElevoSandboxLookups } from './indexed-elevo-lookups';
import type { PlainSyncResult } from './plain-elevo-sync-script';

export const RUN_DATE = '2026-11-20';
/** Extension definitions the Elevo mapping reads (exclusion checkbox + cost center). */
export const ELEVO_DEFINITION_REQUESTS = 2;

export const syncTenantIds = (size: number) => ({ luccaDomain: `l${size}`, temporal: `t${size}`, plain: `p${size}` });

export interface RunMeasure {
  wallMs: number;
  luccaRequests: number;
  luccaByRoute: Record<string, number>;
  lucca429: number;
  elevoWrites: number;
  /** Every Elevo request (list reads + writes). */
  elevoRequests: number;
  /** Plan write actions applied (what actually changed). */
  changes: number;
  failed: number;
  /** CPU time of the process doing the sync (the worker, or the plain script) during the run. */
  cpuMs?: number;
}

export interface TemporalRunMeasure extends RunMeasure {
  status: string;
  history: HistoryMetrics;
}

export interface SyncSizeResult {
  employees: number;
  minimumLuccaRequests: number;
  temporal: { first: TemporalRunMeasure; resync: TemporalRunMeasure; workerPeakRssBytes: number };
  plain: { first: RunMeasure; resync: RunMeasure; peakRssBytes: number };
}

/** Generates the tenant and registers it with the simulators (Lucca domain shared by both runners). */
export function seedSyncSize(world: BenchWorld, size: number): void {
  const ids = syncTenantIds(size);
  const started = performance.now();
  const store = generateLuccaTenant({ tenantId: `bench${size}`, apiKey: LUCCA_KEY, employees: size, seed: 8_000 + size, today: RUN_DATE });
  world.lucca.addTenant(ids.luccaDomain, store);
  for (const account of [ids.temporal, ids.plain]) {
    world.elevo.addTenant(account, ELEVO_TOKEN);
    indexElevoSandboxLookups(world.elevo, account);
  }
  log(`generated ${size} employees in ${Math.round(performance.now() - started)} ms`);
}

export async function measureSyncSize(world: BenchWorld, size: number): Promise<SyncSizeResult> {
  const ids = syncTenantIds(size);
  const minimumLuccaRequests = Math.ceil(size / 1000) + ELEVO_DEFINITION_REQUESTS;

  const plainRun = async (label: string): Promise<RunMeasure & { peakRssBytes: number }> => {
    world.lucca.resetStats(ids.luccaDomain);
    world.elevo.resetStats(ids.plain);
    const child = world.startPlainScript(`plain-${size}-${label}`, [ids.plain, RUN_DATE, `bench/${ids.plain}/${label}`]);
    const { result, peakRssBytes, cpuMs } = await child.next<{ result: PlainSyncResult; peakRssBytes: number; cpuMs: number }>('result');
    await child.exit();
    const stats = world.lucca.stats(ids.luccaDomain);
    log(`plain ${label} ${size}: ${Math.round(result.wallMs)} ms, ${result.applied} changes`);
    return {
      wallMs: result.wallMs,
      luccaRequests: stats.requests,
      luccaByRoute: stats.byRoute,
      lucca429: stats.rateLimited,
      elevoWrites: world.elevo.writeCount(ids.plain),
      elevoRequests: world.elevo.stats(ids.plain).requests,
      changes: result.applied,
      failed: result.failed,
      cpuMs,
      peakRssBytes,
    };
  };

  const worker = await world.startWorker(`worker-${size}`);
  const temporalRun = async (label: string): Promise<TemporalRunMeasure> => {
    world.lucca.resetStats(ids.luccaDomain);
    world.elevo.resetStats(ids.temporal);
    const input: ElevoUserSyncInput = { tenantId: ids.temporal, runDate: RUN_DATE };
    const cpuBefore = worker.cpuMs();
    const started = performance.now();
    const handle = await world.client.workflow.start(ELEVO_USER_SYNC, {
      taskQueue: TASK_QUEUE,
      workflowId: `${elevoUserSyncWorkflowId(ids.temporal, RUN_DATE)}/${label}`,
      args: [input],
    });
    const result = (await handle.result()) as ElevoSyncResult;
    const wallMs = performance.now() - started;
    const cpuMs = worker.cpuMs() - cpuBefore;
    const stats = world.lucca.stats(ids.luccaDomain);
    const history = await historyMetrics(world.client, handle.workflowId, handle.firstExecutionRunId);
    log(`temporal ${label} ${size}: ${Math.round(wallMs)} ms, ${result.applied} changes, ${history.runs} run(s), ${history.totalEvents} events`);
    return {
      wallMs,
      status: result.status,
      luccaRequests: stats.requests,
      luccaByRoute: stats.byRoute,
      lucca429: stats.rateLimited,
      elevoWrites: world.elevo.writeCount(ids.temporal),
      elevoRequests: world.elevo.stats(ids.temporal).requests,
      changes: result.applied,
      failed: result.failed,
      cpuMs,
      history,
    };
  };

  try {
    // A long-running worker has its workflow bundle loaded and its code compiled: one small
    // workflow (the Lucca connection check) before measuring, so a run does not pay the start-up.
    await world.client.workflow.execute('luccaConnectionCheck', { taskQueue: TASK_QUEUE, workflowId: `bench-warm-up/${ids.temporal}`, args: [{ tenantId: ids.temporal }] });
    // Same order for both runners at every step: plain, then Temporal (both against warm simulators).
    const plainFirst = await plainRun('first');
    const temporalFirst = await temporalRun('first');
    const plainResync = await plainRun('resync');
    const temporalResync = await temporalRun('resync');
    const workerPeakRssBytes = worker.memory()?.peakRssBytes ?? NaN;
    const { peakRssBytes: p1, ...plainFirstRun } = plainFirst;
    const { peakRssBytes: p2, ...plainResyncRun } = plainResync;
    return {
      employees: size,
      minimumLuccaRequests,
      temporal: { first: temporalFirst, resync: temporalResync, workerPeakRssBytes },
      plain: { first: plainFirstRun, resync: plainResyncRun, peakRssBytes: Math.max(p1, p2) },
    };
  } finally {
    await worker.stop();
  }
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
