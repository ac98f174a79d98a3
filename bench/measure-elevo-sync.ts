import {
  elevoUserSyncWorkflowId,
  ELEVO_USER_SYNC,
  type ElevoSyncResult,
  type ElevoUserSyncInput,
} from '../src/connectors/elevo-user-sync/contract';
import { generateLuccaTenant } from '../dev/simulators/lucca';
import { ELEVO_TOKEN, LUCCA_KEY, TASK_QUEUE, type BenchWorld } from './bench-world';
import type { BenchChild } from './child-process-probe';
import { historyMetrics, type HistoryMetrics } from './history-metrics';
import { indexElevoSandboxLookups } from './indexed-elevo-lookups';
import type { PlainSyncResult } from './plain-elevo-sync-script';

export const RUN_DATE = '2026-11-20';
/** Extension definitions the Elevo mapping reads (exclusion checkbox + cost center). */
export const ELEVO_DEFINITION_REQUESTS = 2;

/** Round 0 keeps the historical ids; each later round syncs into fresh Elevo accounts (a first sync again). */
export const syncTenantIds = (size: number, round = 0) => {
  const suffix = round === 0 ? '' : `r${round}`;
  return { luccaDomain: `l${size}`, temporal: `t${size}${suffix}`, plain: `p${size}${suffix}` };
};

/**
 * Rounds measured per size: the machine's noise is large against runs of a second, so the median of
 * a few; 100,000 without latency, and 10,000 at SaaS latencies (minutes per round), once.
 */
export const roundsFor = (size: number, repeat: number, withLatency = false) =>
  size >= (withLatency ? 10_000 : 100_000) ? 1 : Math.max(1, repeat);

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
  /** Rounds measured; each side shows its median-wall round, the ratios are of those medians. */
  rounds: number;
  /** Temporal / plain of each round, first sync and re-sync (the spread the medians hide). */
  roundRatios: { first: number[]; resync: number[] };
  temporal: { first: TemporalRunMeasure; resync: TemporalRunMeasure; workerPeakRssBytes: number };
  plain: { first: RunMeasure; resync: RunMeasure; peakRssBytes: number };
}

/** Generates the tenant and registers it with the simulators (Lucca domain shared by both runners). */
export function seedSyncSize(world: BenchWorld, size: number, rounds: number): void {
  const started = performance.now();
  const store = generateLuccaTenant({ tenantId: `bench${size}`, apiKey: LUCCA_KEY, employees: size, seed: 8_000 + size, today: RUN_DATE });
  world.lucca.addTenant(syncTenantIds(size).luccaDomain, store);
  for (let round = 0; round < rounds; round++) {
    const ids = syncTenantIds(size, round);
    for (const account of [ids.temporal, ids.plain]) {
      world.elevo.addTenant(account, ELEVO_TOKEN);
      indexElevoSandboxLookups(world.elevo, account);
    }
  }
  log(`generated ${size} employees in ${Math.round(performance.now() - started)} ms`);
}

type PlainMeasure = RunMeasure & { peakRssBytes: number };

/** One sync by the plain script, in its own process, into the round's Elevo account. */
async function plainRun(world: BenchWorld, size: number, round: number, label: string): Promise<PlainMeasure> {
  const ids = syncTenantIds(size, round);
  world.lucca.resetStats(ids.luccaDomain);
  world.elevo.resetStats(ids.plain);
  const child = world.startPlainScript(`plain-${size}-${label}-${round}`, [ids.plain, RUN_DATE, `bench/${ids.plain}/${label}`]);
  const { result, peakRssBytes, cpuMs } = await child.next<{ result: PlainSyncResult; peakRssBytes: number; cpuMs: number }>('result');
  await child.exit();
  const stats = world.lucca.stats(ids.luccaDomain);
  log(`plain ${label} ${size} (round ${round + 1}): ${Math.round(result.wallMs)} ms, ${result.applied} changes`);
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
}

/** One sync by the worker: workflow start → result, as an operator's `run --wait` sees it. */
async function temporalRun(world: BenchWorld, worker: BenchChild, size: number, round: number, label: string): Promise<TemporalRunMeasure> {
  const ids = syncTenantIds(size, round);
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
  log(
    `temporal ${label} ${size} (round ${round + 1}): ${Math.round(wallMs)} ms, ${result.applied} changes, ${history.runs} run(s), ${history.totalEvents} events`,
  );
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
}

interface Round {
  plain: { first: PlainMeasure; resync: PlainMeasure };
  temporal: { first: TemporalRunMeasure; resync: TemporalRunMeasure };
}

/** First sync then re-sync by both runners; odd rounds let Temporal go first, so neither always meets a warmer machine. */
async function measureRound(world: BenchWorld, worker: BenchChild, size: number, round: number): Promise<Round> {
  const both = async <P, T>(plain: () => Promise<P>, temporal: () => Promise<T>): Promise<[P, T]> => {
    if (round % 2 === 0) return [await plain(), await temporal()];
    const t = await temporal();
    return [await plain(), t];
  };
  const [plainFirst, temporalFirst] = await both(
    () => plainRun(world, size, round, 'first'),
    () => temporalRun(world, worker, size, round, 'first'),
  );
  const [plainResync, temporalResync] = await both(
    () => plainRun(world, size, round, 'resync'),
    () => temporalRun(world, worker, size, round, 'resync'),
  );
  return { plain: { first: plainFirst, resync: plainResync }, temporal: { first: temporalFirst, resync: temporalResync } };
}

/** The measure whose wall time is the median (the lower middle one for an even count). */
export function medianRun<M extends { wallMs: number }>(runs: M[]): M {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

export async function measureSyncSize(world: BenchWorld, size: number, rounds: number): Promise<SyncSizeResult> {
  const minimumLuccaRequests = Math.ceil(size / 1000) + ELEVO_DEFINITION_REQUESTS;
  const worker = await world.startWorker(`worker-${size}`);
  try {
    // A long-running worker has its workflow bundle loaded and its code compiled: one small
    // workflow (the Lucca connection check) before measuring, so a run does not pay the start-up.
    const warmUp = syncTenantIds(size).temporal;
    await world.client.workflow.execute('luccaConnectionCheck', {
      taskQueue: TASK_QUEUE,
      workflowId: `bench-warm-up/${warmUp}`,
      args: [{ tenantId: warmUp }],
    });
    const measured: Round[] = [];
    for (let round = 0; round < rounds; round++) measured.push(await measureRound(world, worker, size, round));
    const workerPeakRssBytes = worker.memory()?.peakRssBytes ?? NaN;
    const pick = <M extends { wallMs: number }>(get: (r: Round) => M) => medianRun(measured.map(get));
    const { peakRssBytes: _p1, ...plainFirst } = pick((r) => r.plain.first);
    const { peakRssBytes: _p2, ...plainResync } = pick((r) => r.plain.resync);
    return {
      employees: size,
      minimumLuccaRequests,
      rounds,
      roundRatios: {
        first: measured.map((r) => r.temporal.first.wallMs / r.plain.first.wallMs),
        resync: measured.map((r) => r.temporal.resync.wallMs / r.plain.resync.wallMs),
      },
      temporal: { first: pick((r) => r.temporal.first), resync: pick((r) => r.temporal.resync), workerPeakRssBytes },
      plain: {
        first: plainFirst,
        resync: plainResync,
        peakRssBytes: Math.max(...measured.flatMap((r) => [r.plain.first.peakRssBytes, r.plain.resync.peakRssBytes])),
      },
    };
  } finally {
    await worker.stop();
  }
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
