import type { Client } from '@temporalio/client';
import type { ArtifactStore } from '../storage/artifact-store';
import { eraseEmployeeArtifacts, type EmployeeErasure } from '../storage/erase-employee-artifacts';

export interface ErasureReport extends EmployeeErasure {
  /** Workflow ids (opaque: tenant, connector, Lucca id) of the deleted executions. */
  deletedWorkflows: string[];
}

/**
 * `lucca-connectors erase --tenant T --employee ID`: the employee's lines leave the stored reports
 * and plans, and every workflow execution tagged with them (screening orders: their history holds
 * the candidate's data, sealed) is deleted from Temporal, running or not.
 */
export async function eraseEmployee(
  deps: { client: Client; namespace: string; artifacts: ArtifactStore },
  tenantId: string,
  luccaId: number,
): Promise<ErasureReport> {
  const artifacts = await eraseEmployeeArtifacts(deps.artifacts, tenantId, luccaId);
  const query = `LuccaTenantId = '${keyword(tenantId)}' AND LuccaEmployeeId = '${luccaId}'`;
  const deletedWorkflows: string[] = [];
  for await (const execution of deps.client.workflow.list({ query })) {
    await deps.client.workflowService.deleteWorkflowExecution({
      namespace: deps.namespace,
      workflowExecution: { workflowId: execution.workflowId, runId: execution.runId },
    });
    deletedWorkflows.push(execution.workflowId);
  }
  return { ...artifacts, deletedWorkflows };
}

export function renderErasure(tenantId: string, luccaId: number, erased: ErasureReport): string {
  return [
    `Erased Lucca employee ${luccaId} of tenant ${tenantId}:`,
    `  Screening candidate snapshots: ${erased.candidateSnapshotsRemoved} removed`,
    `  Elevo sync reports rewritten: ${erased.reportsRewritten} (${erased.reportLinesRemoved} lines removed)`,
    `  Elevo sync plans rewritten:   ${erased.planArtifactsRewritten} (${erased.plannedActionsRemoved} planned actions removed)`,
    `  Workflows deleted:            ${erased.deletedWorkflows.length}`,
    ...erased.deletedWorkflows.map((id) => `    ${id}`),
    '',
  ].join('\n');
}

/** Tenant ids are validated by the config schema; this keeps the query well-formed regardless. */
function keyword(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]/g, '');
}
