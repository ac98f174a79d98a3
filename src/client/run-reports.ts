import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { connectorByWorkflowType } from '../connectors/registry';
import type { DossierRequest } from '../connectors/aequivalent-screening/aequivalent/schemas';
import type { ReportFormat } from '../reports/report-document';
import { renderScreeningOrderReport, type ScreeningOrderReport } from '../connectors/aequivalent-screening/report/order-report';
import {
  initialOrderState,
  orderStateQuery,
  parseScreeningOrderWorkflowId,
  SCREENING_ORDER,
  type OrderState,
  type ScreeningOrderResult,
} from '../connectors/aequivalent-screening/contract';
import type { ArtifactStore } from '../storage/artifact-store';

/**
 * Finds the report of any run and renders it: a connector's run through its registered renderer
 * (Elevo reports live in the artifact store, intake reports are the result), a screening order from
 * its (encrypted) result, state and history, decoded here with the operator's keys.
 */
export async function renderRunReport(
  deps: { client: Client; artifacts: ArtifactStore; location: string },
  workflowId: string,
  format: ReportFormat,
): Promise<string> {
  const description = await describeOrThrow(deps.client, workflowId);
  const handle = deps.client.workflow.getHandle(workflowId);
  // Orders are started by the intake, not a connector's scheduled run: their report needs the history.
  if (description.type === SCREENING_ORDER) return renderScreeningOrderReport(await loadOrderReport(deps.client, description), format);
  const connector = connectorByWorkflowType(description.type);
  if (!connector?.renderReport) throw new Error(`"${workflowId}" is a ${description.type} run, which has no report`);
  if (description.status.name === 'RUNNING')
    throw new Error(`run "${workflowId}" is still running; its report is written at the end (watch it with \`runs\` or the Web UI)`);
  const report = await connector.renderReport(await handle.result(), deps.artifacts, format);
  if (report === undefined)
    throw new Error(
      `the report of "${workflowId}" is not in ${deps.location} (the CLI must use the workers' store: storage in the config, or LUCCA_CONNECTORS_DATA_DIR for the filesystem store)`,
    );
  return report;
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
    ...initialOrderState(),
    stage: result ? 'completed' : 'reading',
    ...(result?.dossierId ? { dossierId: result.dossierId } : {}),
    ...(result?.outcome ? { outcome: result.outcome } : {}),
    problems: result?.problems ?? [],
  }));
  const request = await orderedRequest(client, description.workflowId);
  return {
    orderId: description.workflowId,
    tenantId: ids?.tenantId ?? '?',
    luccaId: ids?.luccaId ?? 0,
    workflowStatus: description.status.name,
    state,
    ...(result ? { result } : {}),
    ...(request
      ? {
          candidate: {
            name: `${request.candidate.firstName} ${request.candidate.lastName}`,
            package: request.package,
            reason: request.reason,
          },
        }
      : {}),
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
