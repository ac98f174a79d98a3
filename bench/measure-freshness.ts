import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { generateLuccaTenant } from '../dev/simulators/lucca';
import { parisDay } from '../dev/simulators/lucca/lucca-dates';
import { ELEVO_USER_SYNC, type ElevoSyncResult } from '../src/connectors/elevo-user-sync/contract';
import { LUCCA_CHANGE_FEED, luccaChangeFeedWorkflowId } from '../src/shared/lucca-change-feed-contract';
import { ELEVO_TOKEN, LUCCA_KEY, TASK_QUEUE, type BenchTenantSpec, type BenchWorld } from './bench-world';
import { log } from './measure-elevo-sync';

export const FRESH_TENANT = 'fresh';
export const idleTenantIds = (count: number) => Array.from({ length: count }, (_, i) => `idle${String(i + 1).padStart(3, '0')}`);

export interface FreshnessArgs {
  changes: number;
  spreadSeconds: number;
  idleTenants: number;
  idleSeconds: number;
  write: boolean;
}

export interface FreshnessResult {
  changes: number;
  spreadSeconds: number;
  pollSeconds: number;
  applied: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  targetedRuns: number;
  /** What a full reconciliation run after the changes still had to write (0 = nothing missed). */
  missedByIncremental: number;
  idleTenants: number;
  idleSeconds: number;
  luccaRequestsPerIdleTenantHour: number;
  /** Share of one domain's 50 requests/minute the idle polling takes. */
  budgetShare: number;
  workerCpuPercent: number;
}

/** The bench config's tenants: one with changes, the idle ones (Lucca's real 50/min each). */
export function freshnessTenantSpecs(idle: number): BenchTenantSpec[] {
  return [FRESH_TENANT, ...idleTenantIds(idle)].map((id) => ({ id, luccaDomain: id, elevoAccount: id, unthrottled: false }));
}

export function seedFreshness(world: BenchWorld, idle: number): void {
  const today = parisDay(new Date());
  [FRESH_TENANT, ...idleTenantIds(idle)].forEach((id, i) => {
    world.lucca.addTenant(
      id,
      generateLuccaTenant({ tenantId: id, apiKey: LUCCA_KEY, employees: id === FRESH_TENANT ? 1_000 : 50, seed: 40_000 + i, today }),
    );
    world.lucca.setRateLimit(id, 50, true);
    world.elevo.addTenant(id, ELEVO_TOKEN);
  });
}

const startFeed = (world: BenchWorld, tenantId: string) =>
  world.client.workflow.start(LUCCA_CHANGE_FEED, {
    taskQueue: TASK_QUEUE,
    workflowId: luccaChangeFeedWorkflowId(tenantId, 'elevo-user-sync'),
    args: [{ tenantId, connector: 'elevo-user-sync' }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });

const fullSync = async (world: BenchWorld, tenantId: string, label: string) =>
  (await world.client.workflow.execute(ELEVO_USER_SYNC, {
    taskQueue: TASK_QUEUE,
    workflowId: `elevo-user-sync/${tenantId}/${label}`,
    args: [{ tenantId }],
  })) as ElevoSyncResult;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** HR changes spread at random over the window; each one's time until Elevo shows it. */
async function measureChanges(world: BenchWorld, args: FreshnessArgs): Promise<{ latencies: number[] }> {
  const store = world.lucca.tenant(FRESH_TENANT);
  const synced = new Set(world.elevo.users(FRESH_TENANT).map((u) => u.externalId));
  const people = [...store.users.values()]
    .filter((u) => store.statusOf(u) === 'current' && u.dtContractEnd === null && synced.has(String(u.id)))
    .slice(0, args.changes);
  const start = performance.now();
  const offsets = people.map((_, i) => ((i + Math.random()) / people.length) * args.spreadSeconds * 1000).sort((a, b) => a - b);
  const madeAt = new Map<number, number>();
  const latencies: number[] = [];
  const pending = new Set<number>();
  let next = 0;
  while (next < people.length || pending.size > 0) {
    const now = performance.now() - start;
    while (next < people.length && offsets[next]! <= now) {
      const person = people[next++]!;
      store.updateUser(person.id, { jobTitle: `Bench ${person.id}` });
      madeAt.set(person.id, performance.now());
      pending.add(person.id);
    }
    const byId = new Map(world.elevo.users(FRESH_TENANT).map((u) => [u.externalId, u]));
    for (const id of [...pending]) {
      if (byId.get(String(id))?.jobTitle === `Bench ${id}`) {
        latencies.push(performance.now() - madeAt.get(id)!);
        pending.delete(id);
      }
    }
    if (now > args.spreadSeconds * 1000 + 15 * 60_000) break; // never applied: reported as missing
    await sleep(200);
  }
  return { latencies };
}

/** The freshness scenario: changes by polling, then idle tenants' cost. One worker process. */
export async function measureFreshness(world: BenchWorld, args: FreshnessArgs): Promise<FreshnessResult> {
  const worker = await world.startWorker('worker-freshness');
  try {
    await fullSync(world, FRESH_TENANT, 'baseline');
    await startFeed(world, FRESH_TENANT);
    log(`freshness: ${args.changes} changes over ${args.spreadSeconds} s, polling every 60 s`);
    const { latencies } = await measureChanges(world, args);
    const reconciliation = await fullSync(world, FRESH_TENANT, 'reconciliation');
    const missed =
      reconciliation.planned.update + reconciliation.planned.create + reconciliation.planned.suspend + reconciliation.planned.reactivate;
    let targetedRuns = 0;
    for await (const _ of world.client.workflow.list({
      query: `WorkflowType = '${ELEVO_USER_SYNC}' AND WorkflowId STARTS_WITH 'elevo-user-sync/${FRESH_TENANT}/changes/'`,
    }))
      targetedRuns++;
    const idle = await measureIdle(world, args, worker.cpuMs.bind(worker));
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      changes: args.changes,
      spreadSeconds: args.spreadSeconds,
      pollSeconds: 60,
      applied: latencies.length,
      p50Ms: percentile(sorted, 50),
      p95Ms: percentile(sorted, 95),
      maxMs: sorted.at(-1) ?? Number.NaN,
      targetedRuns,
      missedByIncremental: missed,
      ...idle,
    };
  } finally {
    await worker.stop();
  }
}

/** Idle tenants' feeds: Lucca requests per hour each, budget share, the worker's CPU while they poll. */
async function measureIdle(
  world: BenchWorld,
  args: FreshnessArgs,
  cpuMs: () => number,
): Promise<Pick<FreshnessResult, 'idleTenants' | 'idleSeconds' | 'luccaRequestsPerIdleTenantHour' | 'budgetShare' | 'workerCpuPercent'>> {
  const ids = idleTenantIds(args.idleTenants);
  for (const id of ids) await startFeed(world, id);
  await sleep(75_000); // every feed has read its starting cursor and polled once
  const requestsBefore = ids.reduce((a, id) => a + world.lucca.stats(id).requests, 0);
  const cpuBefore = cpuMs();
  const started = performance.now();
  log(`freshness: ${ids.length} idle tenants polling for ${args.idleSeconds} s`);
  await sleep(args.idleSeconds * 1000);
  const elapsedMs = performance.now() - started;
  const requests = ids.reduce((a, id) => a + world.lucca.stats(id).requests, 0) - requestsBefore;
  const perTenantHour = (requests / ids.length) * (3_600_000 / elapsedMs);
  return {
    idleTenants: ids.length,
    idleSeconds: args.idleSeconds,
    luccaRequestsPerIdleTenantHour: perTenantHour,
    budgetShare: perTenantHour / 60 / 50,
    workerCpuPercent: ((cpuMs() - cpuBefore) / elapsedMs) * 100,
  };
}

export function renderFreshness(r: FreshnessResult): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return [
    '<!-- freshness:start -->',
    '## Freshness (change feed, docs/freshness.md)',
    '',
    `Command: \`npm run bench -- freshness --changes ${r.changes} --spread-seconds ${r.spreadSeconds} --idle-tenants ${r.idleTenants} --idle-seconds ${r.idleSeconds}\` (${new Date().toISOString().slice(0, 10)}; one worker process, Lucca's real 50 requests/minute per domain, poll every ${r.pollSeconds} s).`,
    '',
    '| measure | value | target |',
    '|---|---|---|',
    `| Lucca change → Elevo applied, by polling: p50 / p95 / max (${r.applied}/${r.changes} changes over ${r.spreadSeconds} s) | ${s(r.p50Ms)} / ${s(r.p95Ms)} / ${s(r.maxMs)} | p95 ≤ 5 min |`,
    `| targeted runs for those changes | ${r.targetedRuns} | — |`,
    `| writes a full reconciliation run still made afterwards (missed by the incremental path) | ${r.missedByIncremental} | 0 |`,
    `| Lucca requests per hour per idle tenant (outside working hours: no frequent intake) | ${r.luccaRequestsPerIdleTenantHour.toFixed(1)} | ≤ 60 |`,
    `| ${r.idleTenants} idle tenants polling: share of each domain's budget taken / left for daily runs | ${(r.budgetShare * 100).toFixed(1)} % / ${(100 - r.budgetShare * 100).toFixed(1)} % | — |`,
    `| ${r.idleTenants} idle tenants polling: worker CPU (one process, of one core) | ${r.workerCpuPercent.toFixed(1)} % | ≤ 5 % |`,
    '',
    'Not measured yet: "Dossier à commander" → dossier created (the intake runs on changes forwarded by the feed and every 5 minutes in working hours; expected p95 ≈ poll interval + one intake + one order placement).',
    '<!-- freshness:end -->',
  ].join('\n');
}

/** Replaces the freshness section of BENCHMARK.md (or appends it). */
export function spliceFreshness(current: string, section: string): string {
  const start = current.indexOf('<!-- freshness:start -->');
  const end = current.indexOf('<!-- freshness:end -->');
  if (start >= 0 && end > start) return `${current.slice(0, start)}${section}${current.slice(end + '<!-- freshness:end -->'.length)}`;
  return `${current.trimEnd()}\n\n${section}\n`;
}
