import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import type { RunReport } from '../domain/elevo-sync/run-report';
import type { DossierRequest } from '../integrations/aequivalent/aequivalent-schemas';
import { renderElevoRunReport } from '../reports/elevo-run-report';
import type { ReportFormat } from '../reports/report-document';
import { renderScreeningIntakeReport } from '../reports/screening-intake-report';
import { renderScreeningOrderReport, type ScreeningOrderReport } from '../reports/screening-order-report';
import type { ElevoSyncResult } from '../shared/elevo-user-sync-contract';
import {
  orderStateQuery,
  parseScreeningOrderWorkflowId,
  type OrderState,
  type ScreeningIntakeResult,
  type ScreeningOrderResult,
} from '../shared/screening-order-contract';
import type { ArtifactStore } from '../storage/artifact-store';

/**
 * Finds the report of any run (Elevo sync, screening intake, screening order) and renders it.
 * Elevo reports live in the artifact store; intake and order reports are built from the run's
 * (encrypted) result, state and history, decoded here with the operator's keys.
 */
export async function renderRunReport(deps: { client: Client; artifacts: ArtifactStore; dataDir: string }, workflowId: string, format: ReportFormat): Promise<string> {
  const description = await describeOrThrow(deps.client, workflowId);
  const handle = deps.client.workflow.getHandle(workflowId);
  switch (description.type) {
    case 'elevoUserSync': {
      if (description.status.name === 'RUNNING') throw new Error(`run "${workflowId}" is still running; its report is written at the end (watch it with \`runs\` or the Web UI)`);
      const result = (await handle.result()) as ElevoSyncResult;
      const report = await deps.artifacts.getJson<RunReport>(result.reportKey);
      if (!report) throw new Error(`the report of "${workflowId}" is not in ${deps.dataDir} (set LUCCA_CONNECTORS_DATA_DIR to the workers' data directory)`);
      return renderElevoRunReport(report, format);
    }
    case 'screeningIntake': {
      if (description.status.name === 'RUNNING') throw new Error(`intake "${workflowId}" is still running; try again in a moment`);
      return renderScreeningIntakeReport((await handle.result()) as ScreeningIntakeResult, format);
    }
    case 'screeningOrder':
      return renderScreeningOrderReport(await loadOrderReport(deps.client, description), format);
    default:
      throw new Error(`"${workflowId}" is a ${description.type} run, which has no report`);
  }
}

export async function describeOrThrow(client: Client, workflowId: string): Promise<WorkflowExecutionDescription> {
  try {
    return await client.workflow.getHandle(workflowId).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new Error(`no run with id "${workflowId}" (list runs with \`lucca-connectors runs\`)`);
    throw err;
  }
}

async function loadOrderReport(client: Client, description: WorkflowExecutionDescription): Promise<ScreeningOrderReport> {
  const ids = parseScreeningOrderWorkflowId(description.workflowId);
  const handle = client.workflow.getHandle(description.workflowId);
  const result = description.status.name === 'COMPLETED' ? ((await handle.result()) as ScreeningOrderResult) : undefined;
  // The state (timeline) is a query: it needs a worker; without one, the result alone still reports.
  const state: OrderState = await handle.query(orderStateQuery).catch(() => ({
    stage: result ? 'completed' : 'reading',
    ...(result?.dossierId ? { dossierId: result.dossierId } : {}),
    ...(result?.outcome ? { outcome: result.outcome } : {}),
    problems: result?.problems ?? [],
    history: [],
    filesTransferred: 0,
    writeBackFailures: 0,
    signalsApplied: 0,
    signalsIgnored: 0,
    polls: 0,
  }));
  const request = await orderedRequest(client, description.workflowId);
  return {
    orderId: description.workflowId,
    tenantId: ids?.tenantId ?? '?',
    luccaId: ids?.luccaId ?? 0,
    workflowStatus: description.status.name,
    state,
    ...(result ? { result } : {}),
    ...(request ? { candidate: { name: `${request.candidate.firstName} ${request.candidate.lastName}`, package: request.package, reason: request.reason } } : {}),
  };
}

/** The dossier request as sent to Aequivalent (input of `createScreeningDossier`), decrypted. */
async function orderedRequest(client: Client, workflowId: string): Promise<DossierRequest | undefined> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const scheduled = history.events?.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'createScreeningDossier');
  const payloads = scheduled?.activityTaskScheduledEventAttributes?.input?.payloads as Payload[] | undefined;
  if (!payloads?.length) return undefined;
  const converter = client.options.loadedDataConverter;
  let decoded = payloads;
  for (const codec of [...converter.payloadCodecs].reverse()) decoded = await codec.decode(decoded);
  const input = converter.payloadConverter.fromPayload<{ request: DossierRequest }>(decoded[0]!);
  return input.request;
}
