import {
  generateLuccaTenant,
  GENERATED_CODES,
  ORDER_STATUSES,
  SCREENING_REASONS,
  SCREENING_REASON_CATEGORIES,
  type LuccaTenantStore,
} from '../dev/simulators/lucca';
import { tinyPdf } from '../dev/simulators/simulator-kit/tiny-pdf';
import { SCREENING_INTAKE, type ScreeningIntakeResult, type ScreeningOrderResult } from '../src/connectors/aequivalent-screening/contract';
import { LUCCA_KEY, ORDERS_TENANT, TASK_QUEUE, type BenchWorld } from './bench-world';
import { historyMetrics } from './history-metrics';
import { log, RUN_DATE } from './measure-elevo-sync';

export interface OrdersResult {
  employees: number;
  pending: number;
  candidatesFound: number;
  started: number;
  /** Intake start → every order workflow completed (dossier created, written back, files sent, followed to its report). */
  wallMs: number;
  outcomes: Record<string, number>;
  documents: number;
  fileTransferProblems: number;
  dossiers: number;
  /** externalReferences with more than one dossier. */
  duplicates: number;
  secondIntake: { candidates: number; started: number; dossiersAfter: number };
  intakeLuccaRequests: number;
  luccaRequests: number;
  luccaByRoute: Record<string, number>;
  luccaRequestsPerOrder: number;
  /** Every Lucca request but the intake's scan (definition + status pages) and file downloads, per order. */
  luccaRequestsPerOrderWithoutFiles: number;
  maxEventsPerOrder: number;
  intakeEvents: number;
  largestPayloadBytes: number;
  largestPayloadIn: string;
  workerPeakRssBytes: number;
}

/**
 * A generated domain where `pending` current employees have a complete Background check section
 * with "Dossier à commander" (and nobody else has any order status), built with the store API.
 */
export function seedOrdersTenant(world: BenchWorld, employees: number, pending: number): LuccaTenantStore {
  const store = generateLuccaTenant({
    tenantId: ORDERS_TENANT,
    apiKey: LUCCA_KEY,
    employees,
    seed: 4_242,
    today: RUN_DATE,
    screeningRatio: 0,
  });
  for (const id of store.users.keys()) {
    if (store.getExtendedValue(id, GENERATED_CODES.orderStatus) !== undefined)
      store.clearExtendedValue(id, GENERATED_CODES.orderStatus, { touch: false });
  }
  const users = [...store.users.values()];
  const requester = users[0]!;
  const chosen = users.filter((u) => u.id !== requester.id && store.statusOf(u) === 'current').slice(0, pending);
  if (chosen.length < pending) throw new Error(`only ${chosen.length} current employees for ${pending} orders`);
  for (const user of chosen) {
    const set = (code: string, value: string | number) => store.setExtendedValue(user.id, code, value, { touch: false });
    set(GENERATED_CODES.screeningPackage, 'Standard');
    set(GENERATED_CODES.screeningReasonCategory, SCREENING_REASON_CATEGORIES[0]!);
    set(GENERATED_CODES.screeningReason, SCREENING_REASONS[2]!);
    if (store.getExtendedValue(user.id, GENERATED_CODES.costCenter) === undefined) set(GENERATED_CODES.costCenter, 'CC-RH-100');
    set(GENERATED_CODES.cvFile, store.addFile(tinyPdf(`CV - user ${user.id}`), `cv-${user.id}.pdf`, 'application/pdf'));
    set(GENERATED_CODES.clientUsername, requester.id);
    set(GENERATED_CODES.orderStatus, ORDER_STATUSES.toOrder);
  }
  world.lucca.addTenant(ORDERS_TENANT, store);
  return store;
}

async function inChunks<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

export async function measureScreeningOrders(world: BenchWorld, employees: number, pending: number): Promise<OrdersResult> {
  seedOrdersTenant(world, employees, pending);
  const worker = await world.startWorker('worker-orders');
  try {
    world.lucca.resetStats(ORDERS_TENANT);
    const runIntake = (suffix: string) =>
      world.client.workflow.start(SCREENING_INTAKE, {
        taskQueue: TASK_QUEUE,
        workflowId: `screening-intake/${ORDERS_TENANT}/${RUN_DATE}/${suffix}`,
        args: [{ tenantId: ORDERS_TENANT, runDate: RUN_DATE }],
      });
    const started = performance.now();
    const intake = await runIntake('bench-1');
    const first = (await intake.result()) as ScreeningIntakeResult;
    log(`orders: intake found ${first.candidates}, started ${first.started.length} in ${Math.round(performance.now() - started)} ms`);
    const results = await inChunks(
      first.started,
      200,
      (id) => world.client.workflow.getHandle(id).result() as Promise<ScreeningOrderResult>,
    );
    const wallMs = performance.now() - started;
    const stats = world.lucca.stats(ORDERS_TENANT);
    log(`orders: ${results.length} completed in ${Math.round(wallMs)} ms`);

    const outcomes: Record<string, number> = {};
    for (const r of results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    const dossiersOf = () => world.aequivalent.dossiers(ORDERS_TENANT);
    const perReference = new Map<string, number>();
    for (const d of dossiersOf()) perReference.set(d.externalReference, (perReference.get(d.externalReference) ?? 0) + 1);

    const second = (await (await runIntake('bench-2')).result()) as ScreeningIntakeResult;
    const histories = await inChunks(first.started, 25, async (id) => {
      const description = await world.client.workflow.getHandle(id).describe();
      return historyMetrics(world.client, id, description.runId);
    });
    const intakeHistory = await historyMetrics(world.client, intake.workflowId, intake.firstExecutionRunId);
    const largest = [...histories, intakeHistory].reduce((a, b) => (b.largestPayloadBytes > a.largestPayloadBytes ? b : a));
    const orderRequests = stats.requests - first.luccaRequests;
    const fileRequests = Object.entries(stats.byRoute)
      .filter(([route]) => route.includes('/files'))
      .reduce((a, [, c]) => a + c, 0);
    const scanRequests = 1 + Math.ceil(employees / 1_000); // the intake's status definition + one page per 1,000 employees
    const withoutFiles = stats.requests - fileRequests - scanRequests;
    return {
      employees,
      pending,
      candidatesFound: first.candidates,
      started: first.started.length,
      wallMs,
      outcomes,
      documents: dossiersOf().reduce((sum, d) => sum + d.documents.length, 0),
      fileTransferProblems: results.filter((r) => r.problems?.some((p) => p.code === 'file_transfer_failed')).length,
      dossiers: dossiersOf().length,
      duplicates: [...perReference.values()].filter((n) => n > 1).length,
      secondIntake: {
        candidates: second.candidates,
        started: second.started.length + second.restarted.length,
        dossiersAfter: dossiersOf().length,
      },
      intakeLuccaRequests: first.luccaRequests,
      luccaRequests: stats.requests,
      luccaByRoute: stats.byRoute,
      luccaRequestsPerOrder: results.length > 0 ? orderRequests / results.length : 0,
      luccaRequestsPerOrderWithoutFiles: results.length > 0 ? withoutFiles / results.length : 0,
      maxEventsPerOrder: Math.max(0, ...histories.map((h) => h.maxEventsPerRun)),
      intakeEvents: intakeHistory.totalEvents,
      largestPayloadBytes: largest.largestPayloadBytes,
      largestPayloadIn: largest.largestPayloadIn,
      workerPeakRssBytes: worker.memory()?.peakRssBytes ?? NaN,
    };
  } finally {
    await worker.stop();
  }
}
