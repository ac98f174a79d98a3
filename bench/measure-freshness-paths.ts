import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { generateLuccaTenant, GENERATED_CODES, ORDER_STATUSES } from '../dev/simulators/lucca';
import { parisDay } from '../dev/simulators/lucca/lucca-dates';
import { ELEVO_USER_SYNC } from '../src/connectors/elevo-user-sync/contract';
import { LUCCA_CHANGE_FEED, luccaChangeFeedWorkflowId } from '../src/shared/lucca-change-feed-contract';
import { AEQUIVALENT_SCREENING_CONNECTOR } from '../src/connectors/aequivalent-screening/contract';
import { ELEVO_TOKEN, LUCCA_KEY, ORDERS_TENANT, TASK_QUEUE, type BenchTenantSpec, type BenchWorld } from './bench-world';
import { log } from './measure-elevo-sync';
import { seedOrdersTenant } from './measure-screening-orders';

/** The tenant whose changes travel by webhooks (newer Lucca API), 1,000 employees. */
export const HOOKS_TENANT = 'hooks';

export interface PathLatency {
  changes: number;
  spreadSeconds: number;
  done: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export function pathTenantSpecs(): BenchTenantSpec[] {
  return [
    { id: HOOKS_TENANT, luccaDomain: HOOKS_TENANT, elevoAccount: HOOKS_TENANT, luccaEvents: true, unthrottled: false },
    { id: ORDERS_TENANT, luccaDomain: ORDERS_TENANT, aequivalent: true, unthrottled: false },
  ];
}

export function seedPaths(world: BenchWorld, orders: number): number[] {
  world.lucca.addTenant(
    HOOKS_TENANT,
    generateLuccaTenant({ tenantId: HOOKS_TENANT, apiKey: LUCCA_KEY, employees: 1_000, seed: 47_000, today: parisDay(new Date()) }),
  );
  world.lucca.setRateLimit(HOOKS_TENANT, 50, true);
  world.elevo.addTenant(HOOKS_TENANT, ELEVO_TOKEN);
  // Complete "Background check" sections, status not set yet: HR sets "Dossier à commander" during the measure.
  const store = seedOrdersTenant(world, 1_000, orders);
  const chosen = [...store.users.keys()].filter((id) => store.getExtendedValue(id, GENERATED_CODES.orderStatus) !== undefined);
  for (const id of chosen) store.clearExtendedValue(id, GENERATED_CODES.orderStatus, { touch: false });
  world.lucca.setRateLimit(ORDERS_TENANT, 50, true);
  return chosen;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Makes one change per id at random times over the spread; each one's time until `doneIds` reports it. */
export async function timeChanges(
  ids: number[],
  spreadSeconds: number,
  make: (id: number) => void,
  doneIds: () => Set<number>,
): Promise<PathLatency> {
  const start = performance.now();
  const offsets = ids.map((_, i) => ((i + Math.random()) / ids.length) * spreadSeconds * 1000).sort((a, b) => a - b);
  const madeAt = new Map<number, number>();
  const latencies: number[] = [];
  let next = 0;
  while (next < ids.length || madeAt.size > latencies.length) {
    const now = performance.now() - start;
    while (next < ids.length && offsets[next]! <= now) {
      make(ids[next]!);
      madeAt.set(ids[next++]!, performance.now());
    }
    const done = doneIds();
    for (const [id, at] of madeAt) {
      if (at < 0 || !done.has(id)) continue;
      latencies.push(performance.now() - at);
      madeAt.set(id, -1);
    }
    if (now > spreadSeconds * 1000 + 10 * 60_000) break; // never done: reported as missing
    await sleep(200);
  }
  const sorted = latencies.sort((a, b) => a - b);
  return {
    changes: ids.length,
    spreadSeconds,
    done: sorted.length,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    maxMs: sorted.at(-1) ?? Number.NaN,
  };
}

const startFeed = (world: BenchWorld, tenantId: string, connector: string) =>
  world.client.workflow.start(LUCCA_CHANGE_FEED, {
    taskQueue: TASK_QUEUE,
    workflowId: luccaChangeFeedWorkflowId(tenantId, connector),
    args: [{ tenantId, connector }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });

/** Lucca change → Elevo applied for a tenant with webhooks (polling stands down). Needs a running worker. */
export async function measureWebhookPath(world: BenchWorld, changes: number, spreadSeconds: number): Promise<PathLatency> {
  await world.client.workflow.execute(ELEVO_USER_SYNC, {
    taskQueue: TASK_QUEUE,
    workflowId: `elevo-user-sync/${HOOKS_TENANT}/baseline`,
    args: [{ tenantId: HOOKS_TENANT }],
  });
  await startFeed(world, HOOKS_TENANT, 'elevo-user-sync');
  await sleep(20_000); // the feed's first sweep has found where "now" is
  const store = world.lucca.tenant(HOOKS_TENANT);
  const synced = new Set(world.elevo.users(HOOKS_TENANT).map((u) => u.externalId));
  const people = [...store.users.values()]
    .filter((u) => store.statusOf(u) === 'current' && u.dtContractEnd === null && synced.has(String(u.id)))
    .slice(0, changes)
    .map((u) => u.id);
  log(`freshness: ${people.length} changes by webhooks over ${spreadSeconds} s`);
  return timeChanges(
    people,
    spreadSeconds,
    (id) => store.updateUser(id, { jobTitle: `Webhook ${id}` }),
    () =>
      new Set(
        world.elevo
          .users(HOOKS_TENANT)
          .filter((u) => u.jobTitle === `Webhook ${u.externalId}`)
          .map((u) => Number(u.externalId)),
      ),
  );
}

/** "Dossier à commander" set in Lucca → the dossier created at Aequivalent, through the screening feed. */
export async function measureDossierPath(world: BenchWorld, ids: number[], spreadSeconds: number): Promise<PathLatency> {
  await startFeed(world, ORDERS_TENANT, AEQUIVALENT_SCREENING_CONNECTOR);
  await sleep(75_000); // the feed has its starting cursor and has polled once
  const store = world.lucca.tenant(ORDERS_TENANT);
  log(`freshness: ${ids.length} "Dossier à commander" over ${spreadSeconds} s`);
  // The dossier's externalReference is the order workflow id: screening-order/<tenant>/<lucca id>/<…>.
  const ordered = () => new Set(world.aequivalent.dossiers(ORDERS_TENANT).map((d) => Number(d.externalReference.split('/')[2])));
  return timeChanges(ids, spreadSeconds, (id) => store.setExtendedValue(id, GENERATED_CODES.orderStatus, ORDER_STATUSES.toOrder), ordered);
}
