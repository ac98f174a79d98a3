import { activityInfo, cancellationSignal, getClient, heartbeat } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { countRequests } from '../integrations/http/json-http-client';
import type { TenantDirectory } from '../config/tenant-directory';
import {
  OUTCOMES_WITHOUT_DOSSIER,
  SCREENING_CONNECTOR,
  SCREENING_ORDER,
  screeningOrderWorkflowId,
  type IntakeRefusalReason,
  type IntakeSkip,
  type IntakeStartReport,
  type OrderCandidate,
  type ScreeningOrderInput,
  type ScreeningOrderResult,
} from '../shared/screening-order-contract';
import { CONNECTOR, EMPLOYEE_ID, RUN_STATE, TENANT_ID } from '../shared/search-attributes';
import { isFormerInLucca } from '../domain/lucca-employment';
import { candidateFieldSelection, entryIdForLabel, orderStatusOf } from './screening-lucca-reader';
import { CandidateSnapshots, readCandidatesInBatches } from './screening-candidate-snapshots';
import type { ArtifactStore } from '../storage/artifact-store';
import { PermanentError } from '../shared/permanent-error';
import { todayIn } from './tenant-clock';

export interface ScreeningIntakeDependencies {
  tenants: TenantDirectory;
  /**
   * Client used to start order workflows. Optional: by default the activity uses the worker's own
   * client (`Context.client`, same connection and namespace as the worker).
   */
  temporalClient?: Client;
  /** Where the intake leaves each order's candidate record (read in batches); without it orders read Lucca one by one. */
  artifacts?: ArtifactStore;
  /** Clock for "today" in the tenant's zone (who is a former employee); tests pin it. */
  now?: () => Date;
}

export interface FoundCandidates {
  candidates: OrderCandidate[];
  /** Asking for an order, but former employees in Lucca: reported, never ordered. */
  skipped: IntakeSkip[];
  scanned: number;
  luccaRequests: number;
}

export function createScreeningIntakeActivities(deps: ScreeningIntakeDependencies) {
  const clientOf = (): Client => deps.temporalClient ?? getClient();
  const snapshots = deps.artifacts ? new CandidateSnapshots(deps.artifacts) : undefined;

  return {
    /**
     * Employees whose order status is "to order": 1 definition request + 1 list request per 1000
     * employees (former ones included), reading only `id`, the contract end and the order-status
     * code. Former employees (Lucca's own rule) are returned as skipped, not ordered. Ids only.
     */
    async findScreeningOrderCandidates(input: { tenantId: string }): Promise<FoundCandidates> {
      const config = deps.tenants.section(input.tenantId, 'aequivalent');
      const today = todayIn(deps.tenants.tenant(input.tenantId).timeZone, (deps.now ?? (() => new Date()))());
      const lucca = deps.tenants.lucca(input.tenantId);
      const code = config.fields.orderStatus;
      const { result, requests } = await countRequests(async () => {
        const definition = await lucca.getExtensionDefinition(code, cancellationSignal());
        if (!definition) throw new PermanentError(`tenant "${input.tenantId}": Lucca has no definition for ${code} (or the key cannot see it)`, 'ScreeningStatusLabelMissing');
        const toOrder = entryIdForLabel(definition, config.statusLabels.toOrder);
        if (toOrder === undefined) throw new PermanentError(`tenant "${input.tenantId}": ${code} has no entry matching the configured "to order" label`, 'ScreeningStatusLabelMissing');

        const candidates: OrderCandidate[] = [];
        const skipped: IntakeSkip[] = [];
        let scanned = 0;
        const fields = ['id', 'dtContractEnd', `extendedData[${code}]`];
        for await (const page of lucca.listUsers({ fields, formerEmployees: true, signal: cancellationSignal() })) {
          for (const user of page.items) {
            scanned += 1;
            const status = orderStatusOf(user, code);
            if (typeof user.id !== 'number' || status.entryId !== toOrder || status.valueId === null) continue;
            if (isFormerInLucca(user.dtContractEnd, today)) skipped.push({ luccaId: user.id, reason: 'employee-left' });
            else candidates.push({ luccaId: user.id, statusValueId: String(status.valueId) });
          }
          heartbeat({ scanned, total: page.count });
        }
        if (snapshots && candidates.length > 0) {
          // One request per 1,000 orders instead of one per order: each order then only writes back.
          const users = await readCandidatesInBatches(lucca, candidates.map((c) => c.luccaId), candidateFieldSelection(config.fields), cancellationSignal());
          for (const c of candidates) {
            const user = users.get(c.luccaId);
            if (user) await snapshots.put(screeningOrderWorkflowId(input.tenantId, c.luccaId, c.statusValueId), user);
          }
        }
        return { candidates, skipped, scanned };
      });
      return { ...result, luccaRequests: requests };
    },

    /**
     * Starts (or joins) one order workflow per candidate, never two orders for one key:
     * - no workflow with this id yet → started (REJECT_DUPLICATE, so a concurrent completion is not re-run);
     * - a run in progress → joined (USE_EXISTING);
     * - the last run completed without placing anything (invalid data, HR reset) → re-run with the same
     *   id and idempotency key, so a fixed HR file is picked up by the next intake;
     * - the last run placed a dossier, or failed/was stopped → refused with the reason (an operator decides:
     *   a failed run may have placed a dossier, and a new request needs a new status value in Lucca).
     */
    async startScreeningOrders(input: { tenantId: string; candidates: OrderCandidate[] }): Promise<IntakeStartReport> {
      const client = clientOf();
      const taskQueue = activityInfo().taskQueue;
      const report: IntakeStartReport = { started: [], restarted: [], joined: [], refused: [] };
      // A few at a time: each start is two round trips to Temporal, and 1,000 in a row take minutes.
      await inParallel(input.candidates, 8, async (candidate) => {
        const args: ScreeningOrderInput = { tenantId: input.tenantId, luccaId: candidate.luccaId, orderKey: candidate.statusValueId };
        const workflowId = screeningOrderWorkflowId(args.tenantId, args.luccaId, args.orderKey);
        const decision = await decide(client, workflowId, (ref) => deps.tenants.aequivalent(input.tenantId).findByExternalReference(ref));
        if (decision.kind === 'joined') report.joined.push(workflowId);
        else if (decision.kind === 'refused') report.refused.push({ workflowId, reason: decision.reason, ...(decision.dossierId ? { dossierId: decision.dossierId } : {}) });
        else {
          try {
            await client.workflow.start(SCREENING_ORDER, {
              taskQueue,
              workflowId,
              args: [args],
              workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
              workflowIdReusePolicy: decision.kind === 'rerun' ? WorkflowIdReusePolicy.ALLOW_DUPLICATE : WorkflowIdReusePolicy.REJECT_DUPLICATE,
              typedSearchAttributes: [
                { key: TENANT_ID, value: args.tenantId },
                { key: CONNECTOR, value: SCREENING_CONNECTOR },
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
        heartbeat(report.started.length + report.restarted.length + report.joined.length + report.refused.length);
      });
      // Orders not started here never take their candidate record: do not keep it.
      if (snapshots) for (const workflowId of [...report.joined, ...report.refused.map((r) => r.workflowId)]) await snapshots.discard(workflowId);
      for (const list of [report.started, report.restarted, report.joined]) list.sort();
      report.refused.sort((a, b) => a.workflowId.localeCompare(b.workflowId));
      return report;
    },
  };
}

type Decision = { kind: 'start' } | { kind: 'rerun' } | { kind: 'joined' } | { kind: 'refused'; reason: IntakeRefusalReason; dossierId?: string };

/**
 * Reads the latest run with this id: its status, and its outcome from its (encrypted) result.
 * No run at all is not proof that nothing was ordered (retention deletes histories, Aequivalent forgets
 * idempotency keys after 30 days): Aequivalent's own record, looked up by the order id, decides.
 */
async function decide(client: Client, workflowId: string, dossiersWithReference: (ref: string) => Promise<Array<{ id: string }>>): Promise<Decision> {
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
