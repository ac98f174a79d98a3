import { elevoUserSyncWorkflowId, ELEVO_USER_SYNC, type ElevoSyncResult } from '../src/connectors/elevo-user-sync/contract';
import { TASK_QUEUE, type BenchWorld } from './bench-world';
import { clockOffsetEnv } from '../test/support/faketime';
import { log, RUN_DATE, syncTenantIds } from './measure-elevo-sync';

export const RATE_LIMITED_TENANT = 'rl';
/**
 * A second tenant on the same Lucca domain (so the same budget): at most one Elevo sync runs per
 * tenant (the tenant lock), so the two chains of re-syncs that compete for the budget are two
 * tenants — as two connectors or two customers' entities sharing one Lucca would.
 */
export const RATE_LIMITED_TENANTS = [RATE_LIMITED_TENANT, `${RATE_LIMITED_TENANT}-b`] as const;
export const LUCCA_BUDGET_PER_MINUTE = 50;
const SKEWED_WORKER_OFFSET = '+2s';

export interface RateLimitedResult {
  employees: number;
  durationMs: number;
  runs: number;
  luccaRequests: number;
  lucca429: number;
  elevoWrites: number;
  /** Mean requests per full minute from the start. */
  sustainedPerMinute: number;
  perMinute: number[];
  /** Most requests seen by the sandbox in any 60-s window (1-s samples). */
  peakWindowRequests: number;
  budgetShare: number;
  workers: number;
  skewedWorkerOffset: string;
}

/**
 * Sandbox-side counter sampled once a second: (ms since start, requests so far). The budget is a
 * sliding 60-s window, so the fair measure is requests per consecutive full minute from the start
 * (a first minute may hold the whole budget at once; no minute may hold more than the budget).
 */
export function sustainedRate(
  samples: Array<[number, number]>,
  windowMs = 60_000,
): { sustainedPerMinute: number; perMinute: number[]; peakWindowRequests: number } {
  const at = (t: number) => samples.filter(([ts]) => ts <= t).pop()?.[1] ?? 0;
  const last = samples[samples.length - 1];
  const perMinute: number[] = [];
  for (let from = 0; last && from + windowMs <= last[0] + 500; from += windowMs) perMinute.push(at(from + windowMs) - at(from));
  const sustainedPerMinute = perMinute.length > 0 ? perMinute.reduce((a, b) => a + b, 0) / perMinute.length : NaN;
  let peakWindowRequests = 0;
  let first = 0;
  for (let to = 0; to < samples.length; to++) {
    while (samples[to]![0] - samples[first]![0] > windowMs) first++;
    const before = first > 0 ? samples[first - 1]![1] : 0;
    peakWindowRequests = Math.max(peakWindowRequests, samples[to]![1] - before);
  }
  return { sustainedPerMinute, perMinute, peakWindowRequests };
}

/**
 * Lucca's real limit on both sides: the sandbox answers 429 beyond 50 requests in 60 s, and the
 * worker's shared budget for the domain is 50/min. Unchanged re-syncs of an already synced tenant
 * run back to back for `durationMs`, so Lucca is always the bottleneck; we measure how much of the
 * budget is used and whether a 429 ever happens.
 */
export async function measureRateLimited(world: BenchWorld, size: number, durationMs: number): Promise<RateLimitedResult> {
  const ids = syncTenantIds(size);
  world.lucca.addTenant(RATE_LIMITED_TENANT, world.lucca.tenant(ids.luccaDomain));
  world.lucca.setRateLimit(RATE_LIMITED_TENANT, LUCCA_BUDGET_PER_MINUTE, true);
  world.elevo.resetStats(ids.temporal);
  // Two worker processes, the second one's clock 2 s ahead: the budget must hold across both.
  const workers = [
    await world.startWorker('worker-rate-limited-a'),
    await world.startWorker('worker-rate-limited-b', clockOffsetEnv(SKEWED_WORKER_OFFSET)),
  ];
  try {
    const samples: Array<[number, number]> = [];
    const started = performance.now();
    const sample = () => samples.push([performance.now() - started, world.lucca.stats(RATE_LIMITED_TENANT).requests]);
    sample();
    const timer = setInterval(sample, 1_000);
    let runs = 0;
    // Two chains of re-syncs at once, so both workers take work and compete for the budget.
    const chain = async (tenantId: string) => {
      while (performance.now() - started < durationMs) {
        const n = ++runs;
        const result = (await world.client.workflow.execute(ELEVO_USER_SYNC, {
          taskQueue: TASK_QUEUE,
          workflowId: `${elevoUserSyncWorkflowId(tenantId, RUN_DATE)}/rl-${n}`,
          args: [{ tenantId, runDate: RUN_DATE }],
        })) as ElevoSyncResult;
        if (result.status !== 'completed') throw new Error(`rate-limited run ${n} ended ${result.status}`);
      }
    };
    try {
      await Promise.all(RATE_LIMITED_TENANTS.map(chain));
    } finally {
      clearInterval(timer);
    }
    sample();
    const elapsed = performance.now() - started;
    const stats = world.lucca.stats(RATE_LIMITED_TENANT);
    const rate = sustainedRate(samples);
    log(
      `rate-limited: ${runs} runs, ${stats.requests} requests in ${Math.round(elapsed / 1000)} s, ${rate.sustainedPerMinute.toFixed(1)}/min sustained, ${stats.rateLimited} × 429`,
    );
    return {
      employees: size,
      durationMs: elapsed,
      runs,
      luccaRequests: stats.requests,
      lucca429: stats.rateLimited,
      elevoWrites: world.elevo.writeCount(ids.temporal),
      ...rate,
      budgetShare: rate.sustainedPerMinute / LUCCA_BUDGET_PER_MINUTE,
      workers: workers.length,
      skewedWorkerOffset: SKEWED_WORKER_OFFSET,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}
