import { ELEVO_USER_SYNC, elevoUserSyncWorkflowId, type ElevoSyncResult } from '../src/connectors/elevo-user-sync/contract';
import { LUCCA_REQUEST_BUDGET } from '../src/shared/lucca-budget-contract';
import { generateLuccaTenant } from '../dev/simulators/lucca';
import { ELEVO_TOKEN, LUCCA_KEY, TASK_QUEUE, type BenchTenantSpec, type BenchWorld } from './bench-world';
import { indexElevoSandboxLookups } from './indexed-elevo-lookups';
import { log, RUN_DATE } from './measure-elevo-sync';

export interface ManyTenantsResult {
  tenants: number;
  employeesPerTenant: number;
  workers: number;
  /** All syncs started at once → the last one completed. */
  wallMs: number;
  completed: number;
  /** Per-tenant time from the common start to its completion. */
  fastestMs: number;
  medianMs: number;
  slowestMs: number;
  /** Tenants that did not complete, or took more than 3× the median: starved by the others. */
  starved: number;
  budgetWorkflows: number;
  luccaRequests: number;
  lucca429: number;
  elevoWrites: number;
  workerPeakRssBytes: number[];
}

export const manyTenantIds = (count: number) => Array.from({ length: count }, (_, i) => `m${String(i + 1).padStart(3, '0')}`);

/** Each tenant its own Lucca domain (so its own budget at Lucca's real 50/min) and Elevo account. */
export function manyTenantSpecs(count: number): BenchTenantSpec[] {
  return manyTenantIds(count).map((id) => ({ id, luccaDomain: id, elevoAccount: id, unthrottled: false }));
}

export function seedManyTenants(world: BenchWorld, count: number, employees: number): void {
  manyTenantIds(count).forEach((id, i) => {
    world.lucca.addTenant(id, generateLuccaTenant({ tenantId: id, apiKey: LUCCA_KEY, employees, seed: 20_000 + i, today: RUN_DATE }));
    world.lucca.setRateLimit(id, 50, true);
    world.elevo.addTenant(id, ELEVO_TOKEN);
    indexElevoSandboxLookups(world.elevo, id);
  });
}

/** The morning window: every tenant's first sync started together on two worker processes. */
export async function measureManyTenants(world: BenchWorld, count: number, employees: number): Promise<ManyTenantsResult> {
  const ids = manyTenantIds(count);
  const workers = [await world.startWorker('worker-many-a'), await world.startWorker('worker-many-b')];
  try {
    const started = performance.now();
    const handles = await Promise.all(
      ids.map((id) =>
        world.client.workflow.start(ELEVO_USER_SYNC, {
          taskQueue: TASK_QUEUE,
          workflowId: `${elevoUserSyncWorkflowId(id, RUN_DATE)}/many`,
          args: [{ tenantId: id, runDate: RUN_DATE }],
        }),
      ),
    );
    const times = await Promise.all(
      handles.map(async (h) => {
        const result = (await h.result()) as ElevoSyncResult;
        return result.status === 'completed' ? performance.now() - started : Number.POSITIVE_INFINITY;
      }),
    );
    const wallMs = performance.now() - started;
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const stats = ids.map((id) => world.lucca.stats(id));
    const budgetWorkflows = await countWorkflows(world, `WorkflowType = '${LUCCA_REQUEST_BUDGET}'`);
    const result: ManyTenantsResult = {
      tenants: count,
      employeesPerTenant: employees,
      workers: workers.length,
      wallMs,
      completed: times.filter(Number.isFinite).length,
      fastestMs: sorted[0]!,
      medianMs: median,
      slowestMs: sorted[sorted.length - 1]!,
      starved: times.filter((t) => !Number.isFinite(t) || t > 3 * median).length,
      budgetWorkflows,
      luccaRequests: stats.reduce((a, s) => a + s.requests, 0),
      lucca429: stats.reduce((a, s) => a + s.rateLimited, 0),
      elevoWrites: ids.reduce((a, id) => a + world.elevo.writeCount(id), 0),
      workerPeakRssBytes: workers.map((w) => w.memory()?.peakRssBytes ?? Number.NaN),
    };
    log(
      `many tenants: ${result.completed}/${count} completed in ${Math.round(wallMs)} ms, median ${Math.round(median)} ms, ${budgetWorkflows} budget workflows`,
    );
    return result;
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

async function countWorkflows(world: BenchWorld, query: string): Promise<number> {
  let count = 0;
  for await (const _ of world.client.workflow.list({ query })) count++;
  return count;
}
