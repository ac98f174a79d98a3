import { activityInfo } from '@temporalio/activity';
import { heartbeatProgress } from '../activity-heartbeats';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import type { TenantDirectory } from '../../config/tenant-directory';
import {
  OUTCOMES_WITHOUT_DOSSIER,
  AEQUIVALENT_SCREENING_CONNECTOR,
  SCREENING_ORDER,
  screeningOrderWorkflowId,
  type IntakeRefusalReason,
  type IntakeStartReport,
  type OrderCandidate,
  type ScreeningOrderInput,
  type ScreeningOrderResult,
} from '../../connectors/aequivalent-screening/contract';
import { CONNECTOR, EMPLOYEE_ID, RUN_STATE, TENANT_ID } from '../../shared/search-attributes';
import type { CandidateSnapshots } from './screening-candidate-snapshots';
import { aequivalentClientOf } from '../../connectors/aequivalent-screening/aequivalent/client-for-tenant';

export interface OrderStartDependencies {
  client: Client;
  tenants: TenantDirectory;
  snapshots?: CandidateSnapshots;
}

/**
 * Starts (or joins) one order workflow per candidate, never two orders for one key:
 * - no workflow with this id yet → started (REJECT_DUPLICATE, so a concurrent completion is not re-run);
 * - a run in progress → joined (USE_EXISTING);
 * - the last run completed without placing anything (invalid data, HR reset) → re-run with the same
 *   id and idempotency key, so a fixed HR file is picked up by the next intake;
 * - the last run placed a dossier, or failed/was stopped → refused with the reason (an operator decides:
 *   a failed run may have placed a dossier, and a new request needs a new status value in Lucca).
 */
export async function startScreeningOrders(
  deps: OrderStartDependencies,
  input: { tenantId: string; candidates: OrderCandidate[] },
): Promise<IntakeStartReport> {
  const report: IntakeStartReport = { started: [], restarted: [], joined: [], refused: [] };
  const taskQueue = activityInfo().taskQueue;
  // A few at a time: each start is two round trips to Temporal, and 1,000 in a row take minutes.
  await inParallel(input.candidates, 8, async (candidate) => {
    await startOrJoin(deps, taskQueue, { tenantId: input.tenantId, luccaId: candidate.luccaId, orderKey: candidate.statusValueId }, report);
    heartbeatProgress(report.started.length + report.restarted.length + report.joined.length + report.refused.length);
  });
  // Orders not started here never take their candidate record: do not keep it.
  if (deps.snapshots)
    for (const workflowId of [...report.joined, ...report.refused.map((r) => r.workflowId)]) await deps.snapshots.discard(workflowId);
  for (const list of [report.started, report.restarted, report.joined]) list.sort();
  report.refused.sort((a, b) => a.workflowId.localeCompare(b.workflowId));
  return report;
}

async function startOrJoin(
  deps: OrderStartDependencies,
  taskQueue: string,
  args: ScreeningOrderInput,
  report: IntakeStartReport,
): Promise<void> {
  const workflowId = screeningOrderWorkflowId(args.tenantId, args.luccaId, args.orderKey);
  const decision = await decide(deps.client, workflowId, (ref) =>
    aequivalentClientOf(deps.tenants, args.tenantId).findByExternalReference(ref),
  );
  if (decision.kind === 'joined') return void report.joined.push(workflowId);
  if (decision.kind === 'refused')
    return void report.refused.push({
      workflowId,
      reason: decision.reason,
      ...(decision.dossierId ? { dossierId: decision.dossierId } : {}),
    });
  try {
    await deps.client.workflow.start(SCREENING_ORDER, {
      taskQueue,
      workflowId,
      args: [args],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: decision.kind === 'rerun' ? WorkflowIdReusePolicy.ALLOW_DUPLICATE : WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: TENANT_ID, value: args.tenantId },
        { key: CONNECTOR, value: AEQUIVALENT_SCREENING_CONNECTOR },
        { key: EMPLOYEE_ID, value: String(args.luccaId) },
        { key: RUN_STATE, value: 'reading' },
      ],
      staticSummary: `Aequivalent screening order — Lucca user ${args.luccaId}`,
    });
    (decision.kind === 'rerun' ? report.restarted : report.started).push(workflowId);
  } catch (err) {
    // Closed between our describe and the start (REJECT_DUPLICATE): safe side, refuse.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    report.refused.push({ workflowId, reason: 'previous-run-unknown' });
  }
}

type Decision =
  { kind: 'start' } | { kind: 'rerun' } | { kind: 'joined' } | { kind: 'refused'; reason: IntakeRefusalReason; dossierId?: string };

/**
 * Reads the latest run with this id: its status, and its outcome from its (encrypted) result.
 * No run at all is not proof that nothing was ordered (retention deletes histories, Aequivalent forgets
 * idempotency keys after 30 days): Aequivalent's own record, looked up by the order id, decides.
 */
async function decide(
  client: Client,
  workflowId: string,
  dossiersWithReference: (ref: string) => Promise<Array<{ id: string }>>,
): Promise<Decision> {
  const handle = client.workflow.getHandle(workflowId);
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError || (err as { name?: string })?.name === 'WorkflowNotFoundError')) throw err;
    const [placed] = await dossiersWithReference(workflowId);
    return placed ? { kind: 'refused', reason: 'dossier-exists-at-aequivalent', dossierId: placed.id } : { kind: 'start' };
  }
  switch (description.status.name) {
    case 'RUNNING':
    case 'PAUSED':
      return { kind: 'joined' };
    case 'COMPLETED': {
      const { outcome } = (await handle.result()) as ScreeningOrderResult;
      return OUTCOMES_WITHOUT_DOSSIER.includes(outcome) ? { kind: 'rerun' } : { kind: 'refused', reason: 'order-already-placed' };
    }
    case 'FAILED':
      return { kind: 'refused', reason: 'previous-run-failed' };
    case 'TIMED_OUT':
      return { kind: 'refused', reason: 'previous-run-timed-out' };
    case 'TERMINATED':
      return { kind: 'refused', reason: 'previous-run-terminated' };
    case 'CANCELLED':
      return { kind: 'refused', reason: 'previous-run-cancelled' };
    default:
      return { kind: 'refused', reason: 'previous-run-unknown' };
  }
}

async function inParallel<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}
