import type { SimulatorLatency } from './bench-world';
import type { RunMeasure, SyncSizeResult } from './measure-elevo-sync';

/** Default per-call latencies of the latency mode (SaaS APIs over the internet). */
export const DEFAULT_LATENCY: SimulatorLatency = { lucca: 150, elevo: 80, aequivalent: 200 };
/** `elevo.concurrency` default: what the bench's tenants run with. */
export const DEFAULT_ELEVO_CONCURRENCY = 8;

export interface LatencySyncResult extends SyncSizeResult {
  latency: SimulatorLatency;
  concurrency: number;
  /** The physical limit of the Temporal first sync and re-sync (see `physicalLimitMs`). */
  firstLimitMs: number;
  resyncLimitMs: number;
}

/**
 * The least wall time a run's calls can take at these latencies: Lucca pages and Elevo list pages
 * one after the other, Elevo writes `concurrency` at a time. What is left above it is our overhead.
 */
export function physicalLimitMs(run: RunMeasure, latency: SimulatorLatency, concurrency: number): number {
  const elevoReads = Math.max(0, run.elevoRequests - run.elevoWrites);
  return run.luccaRequests * latency.lucca + elevoReads * latency.elevo + Math.ceil(run.elevoWrites / concurrency) * latency.elevo;
}

export function withPhysicalLimits(result: SyncSizeResult, latency: SimulatorLatency, concurrency: number): LatencySyncResult {
  return {
    ...result,
    latency,
    concurrency,
    firstLimitMs: physicalLimitMs(result.temporal.first, latency, concurrency),
    resyncLimitMs: physicalLimitMs(result.temporal.resync, latency, concurrency),
  };
}
