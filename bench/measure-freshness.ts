import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { generateLuccaTenant, GENERATED_CODES } from '../dev/simulators/lucca';
import { parisDay } from '../dev/simulators/lucca/lucca-dates';
import { loadConfig } from '../src/config/load-config';
import { frequentIntakeSchedule, frequentIntakeScheduleId } from '../src/freshness/frequent-intake-schedule';
import { ELEVO_USER_SYNC, type ElevoSyncResult } from '../src/connectors/elevo-user-sync/contract';
import { AEQUIVALENT_SCREENING_CONNECTOR, SCREENING_INTAKE } from '../src/connectors/aequivalent-screening/contract';
import { LUCCA_CHANGE_FEED, luccaChangeFeedWorkflowId } from '../src/shared/lucca-change-feed-contract';
import { ELEVO_TOKEN, LUCCA_KEY, TASK_QUEUE, type BenchTenantSpec, type BenchWorld } from './bench-world';
import { log } from './measure-elevo-sync';
import { measureDossierPath, measureWebhookPath, pathTenantSpecs, percentile, type PathLatency } from './measure-freshness-paths';

export const FRESH_TENANT = 'fresh';
export const idleTenantIds = (count: number) => Array.from({ length: count }, (_, i) => `idle${String(i + 1).padStart(3, '0')}`);
/** Idle tenants with the screening connector and its 5-minute intake running (working hours all day), 1,000 employees each. */
export const INTAKE_TENANTS = 5;
export const intakeTenantIds = (count: number) => Array.from({ length: count }, (_, i) => `intake${i + 1}`);

export interface FreshnessArgs {
  changes: number;
  /** "Dossier à commander" set over the same spread. */
  orders: number;
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
  /** Idle tenants with the frequent intake running: requests per hour each, intake included. */
  intakeIdle: { tenants: number; minutes: number; requestsPerTenantHour: number; intakePassesPerTenantHour: number };
  webhooks: PathLatency;
  dossiers: PathLatency;
}

/** The bench config's tenants: one with changes, the idle ones (Lucca's real 50/min each). */
export function freshnessTenantSpecs(idle: number, intakeTenants = INTAKE_TENANTS): BenchTenantSpec[] {
  return [
    ...[FRESH_TENANT, ...idleTenantIds(idle)].map((id) => ({ id, luccaDomain: id, elevoAccount: id, unthrottled: false })),
    ...intakeTenantIds(intakeTenants).map((id) => ({ id, luccaDomain: id, aequivalent: true, intakeAllDay: true, unthrottled: false })),
    ...pathTenantSpecs(),
  ];
}

export function seedFreshness(world: BenchWorld, idle: number, intakeTenants = INTAKE_TENANTS): void {
  const today = parisDay(new Date());
  intakeTenantIds(intakeTenants).forEach((id, i) => {
    const store = generateLuccaTenant({ tenantId: id, apiKey: LUCCA_KEY, employees: 1_000, seed: 45_000 + i, today, screeningRatio: 0 });
    // Idle: nobody to order (the generator leaves a few statuses even at ratio 0).
    for (const userId of store.users.keys())
      if (store.getExtendedValue(userId, GENERATED_CODES.orderStatus) !== undefined)
        store.clearExtendedValue(userId, GENERATED_CODES.orderStatus, { touch: false });
    world.lucca.addTenant(id, store);
    world.lucca.setRateLimit(id, 50, true);
  });
  [FRESH_TENANT, ...idleTenantIds(idle)].forEach((id, i) => {
    world.lucca.addTenant(
      id,
      generateLuccaTenant({ tenantId: id, apiKey: LUCCA_KEY, employees: id === FRESH_TENANT ? 1_000 : 50, seed: 40_000 + i, today }),
    );
    world.lucca.setRateLimit(id, 50, true);
    world.elevo.addTenant(id, ELEVO_TOKEN);
  });
}

const startFeed = (world: BenchWorld, tenantId: string, connector = 'elevo-user-sync') =>
  world.client.workflow.start(LUCCA_CHANGE_FEED, {
    taskQueue: TASK_QUEUE,
    workflowId: luccaChangeFeedWorkflowId(tenantId, connector),
    args: [{ tenantId, connector }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });

const fullSync = async (world: BenchWorld, tenantId: string, label: string) =>
  (await world.client.workflow.execute(ELEVO_USER_SYNC, {
    taskQueue: TASK_QUEUE,
    workflowId: `elevo-user-sync/${tenantId}/${label}`,
    args: [{ tenantId }],
  })) as ElevoSyncResult;

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

/** The freshness scenario: changes by polling, by webhooks, orders; then idle tenants' cost. One worker process. */
export async function measureFreshness(world: BenchWorld, args: FreshnessArgs, orderIds: number[]): Promise<FreshnessResult> {
  const worker = await world.startWorker('worker-freshness');
  const intakeIdle = new IntakeIdleProbe(world);
  try {
    await intakeIdle.start();
    await fullSync(world, FRESH_TENANT, 'baseline');
    await startFeed(world, FRESH_TENANT);
    await intakeIdle.mark();
    log(`freshness: ${args.changes} changes over ${args.spreadSeconds} s, polling every 60 s (webhooks and orders alongside)`);
    // The three paths at once, on their own Lucca domains: one worker serving them all, as in production.
    const [{ latencies }, webhooks, dossiers] = await Promise.all([
      measureChanges(world, args),
      measureWebhookPath(world, args.changes, args.spreadSeconds),
      measureDossierPath(world, orderIds, args.spreadSeconds),
    ]);
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
      intakeIdle: await intakeIdle.finish(),
      webhooks,
      dossiers,
    };
  } finally {
    await worker.stop();
  }
}

type IdleFigures = Pick<
  FreshnessResult,
  'idleTenants' | 'idleSeconds' | 'luccaRequestsPerIdleTenantHour' | 'budgetShare' | 'workerCpuPercent'
>;

/** Idle tenants' feeds: Lucca requests per hour each, budget share, the worker's CPU while they poll. */
async function measureIdle(world: BenchWorld, args: FreshnessArgs, cpuMs: () => number): Promise<IdleFigures> {
  const ids = idleTenantIds(args.idleTenants);
  for (const id of ids) await startFeed(world, id);
  await sleep(75_000); // every feed has read its starting cursor and polled once
  const requestsBefore = requestsOf(world, ids);
  const cpuBefore = cpuMs();
  const started = performance.now();
  log(`freshness: ${ids.length} idle tenants polling for ${args.idleSeconds} s`);
  await sleep(args.idleSeconds * 1000);
  const elapsedMs = performance.now() - started;
  const perTenantHour = ((requestsOf(world, ids) - requestsBefore) / ids.length) * (3_600_000 / elapsedMs);
  return {
    idleTenants: ids.length,
    idleSeconds: args.idleSeconds,
    luccaRequestsPerIdleTenantHour: perTenantHour,
    budgetShare: perTenantHour / 60 / 50,
    workerCpuPercent: ((cpuMs() - cpuBefore) / elapsedMs) * 100,
  };
}

const requestsOf = (world: BenchWorld, tenants: string[]) => tenants.reduce((a, id) => a + world.lucca.stats(id).requests, 0);

/**
 * Idle tenants whose 5-minute screening intake runs (working hours all day), watched for the whole
 * bench (their own Lucca domains, so the other measures do not disturb them): Lucca requests per
 * hour each, intake passes included, and the passes seen.
 */
class IntakeIdleProbe {
  private before?: { requests: number; passes: number; at: number };
  private readonly ids = intakeTenantIds(INTAKE_TENANTS);

  constructor(private readonly world: BenchWorld) {}

  async start(): Promise<void> {
    const config = loadConfig(this.world.configPath).config;
    for (const id of this.ids) {
      await startFeed(this.world, id, AEQUIVALENT_SCREENING_CONNECTOR);
      await this.world.client.schedule.create(
        frequentIntakeSchedule(
          config.tenants.find((t) => t.id === id)!,
          TASK_QUEUE,
        )!,
      );
    }
  }

  /** After the feeds' start-up (their starting cursor). */
  async mark(): Promise<void> {
    this.before = { requests: requestsOf(this.world, this.ids), passes: await intakePasses(this.world, this.ids), at: performance.now() };
  }

  async finish(): Promise<FreshnessResult['intakeIdle']> {
    const hours = (performance.now() - this.before!.at) / 3_600_000;
    const per = (n: number) => n / this.ids.length / hours;
    const figures = {
      tenants: this.ids.length,
      minutes: hours * 60,
      requestsPerTenantHour: per(requestsOf(this.world, this.ids) - this.before!.requests),
      intakePassesPerTenantHour: per((await intakePasses(this.world, this.ids)) - this.before!.passes),
    };
    for (const id of this.ids) await this.world.client.schedule.getHandle(frequentIntakeScheduleId(id)).delete();
    return figures;
  }
}

/** Completed intakes of these tenants only (the orders path's tenant runs intakes of its own: not idle). */
async function intakePasses(world: BenchWorld, tenantIds: readonly string[]): Promise<number> {
  const mine = (workflowId: string) => tenantIds.some((id) => workflowId.startsWith(`${AEQUIVALENT_SCREENING_CONNECTOR}/${id}/`));
  let n = 0;
  for await (const run of world.client.workflow.list({ query: `WorkflowType = '${SCREENING_INTAKE}' AND ExecutionStatus = 'Completed'` }))
    if (mine(run.workflowId)) n++;
  return n;
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
    `| Lucca change → Elevo applied, **by webhooks** (newer Lucca API; polling stands down): p50 / p95 / max (${r.webhooks.done}/${r.webhooks.changes} changes over ${r.webhooks.spreadSeconds} s) | ${s(r.webhooks.p50Ms)} / ${s(r.webhooks.p95Ms)} / ${s(r.webhooks.maxMs)} | p95 ≤ 1 min |`,
    `| "Dossier à commander" set in Lucca → dossier created at Aequivalent (screening feed, poll every 60 s): p50 / p95 / max (${r.dossiers.done}/${r.dossiers.changes} orders over ${r.dossiers.spreadSeconds} s) | ${s(r.dossiers.p50Ms)} / ${s(r.dossiers.p95Ms)} / ${s(r.dossiers.maxMs)} | p95 ≤ 5 min |`,
    `| Lucca requests per hour per idle tenant **in working hours, the 5-minute intake counted** (${r.intakeIdle.tenants} tenants × 1,000 employees, watched ${r.intakeIdle.minutes.toFixed(0)} min; ${r.intakeIdle.intakePassesPerTenantHour.toFixed(1)} intake passes/h each; polls stretched to fit) | ${r.intakeIdle.requestsPerTenantHour.toFixed(1)} | ≤ 60 |`,
    `| ${r.idleTenants} idle tenants polling: share of each domain's budget taken / left for daily runs | ${(r.budgetShare * 100).toFixed(1)} % / ${(100 - r.budgetShare * 100).toFixed(1)} % | — |`,
    `| ${r.idleTenants} idle tenants polling: worker CPU (one process, of one core) | ${r.workerCpuPercent.toFixed(1)} % | ≤ 5 % |`,
    '',
    'The three latency measures run at once (one worker, each tenant on its own Lucca domain at 50 requests/minute). The intake tenants are idle tenants with the screening connector whose working hours are set to the whole day, so the frequent intake runs whenever the bench does (Monday–Friday: on a weekend it shows 0 passes).',
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
