import type { WorkflowHandle } from '@temporalio/client';
import { createElevoUserSyncActivities } from '../activities/elevo-user-sync-activities';
import { progressLine } from '../client/progress-bar';
import type { RunReport } from '../domain/elevo-sync/run-report';
import { renderElevoRunReport } from '../reports/elevo-run-report';
import {
  ELEVO_USER_SYNC,
  ELEVO_USER_SYNC_CONNECTOR,
  elevoSyncProgressQuery,
  elevoUserSyncWorkflowId,
  type ElevoSyncResult,
} from '../shared/elevo-user-sync-contract';
import type { ArtifactStore } from '../storage/artifact-store';
import type { ConnectorDefinition, ReportFormat, RunProgress } from './connector-definition';
import { elevoUserSyncCheck } from '../onboarding/connectors/elevo-user-sync-check';
import type { ElevoSandbox } from '../sandbox/elevo';
import { sandboxTenantOf } from './sandbox-tenant-of';

/** Lucca → Elevo, daily per tenant (config section `elevo`). */
export const elevoUserSyncConnector = {
  name: ELEVO_USER_SYNC_CONNECTOR,
  title: 'Elevo user sync',
  configKey: 'elevo',
  workflowType: ELEVO_USER_SYNC,
  runWorkflowId: elevoUserSyncWorkflowId,
  supportsDryRun: true,
  createActivities: createElevoUserSyncActivities,
  progress: elevoSyncProgress,
  renderReport: renderElevoSyncReport,
  sandboxPort: 4200,
  async startSimulator({ port }) {
    const { ElevoSandbox } = await import('../sandbox/elevo');
    return ElevoSandbox.start({ port });
  },
  addSandboxAccount(simulator, tenant, { secret }) {
    const id = tenant.elevo && sandboxTenantOf(simulator.url, tenant.elevo.baseUrl);
    if (!tenant.elevo || !id) return false;
    (simulator as ElevoSandbox).addTenant(id, secret(tenant.elevo.token));
    return true;
  },
  onboardingCheck: elevoUserSyncCheck,
} satisfies ConnectorDefinition<typeof ELEVO_USER_SYNC_CONNECTOR>;

async function elevoSyncProgress(handle: WorkflowHandle): Promise<RunProgress | undefined> {
  const p = await handle.query(elevoSyncProgressQuery).catch(() => undefined);
  if (!p) return undefined;
  if (p.status === 'held') return { line: p.status, heldBecause: p.holdReasons.map((r) => r.code) };
  return { line: p.status === 'applying' ? progressLine('applying', p.batchesDone, p.batchesTotal) : p.status };
}

/** The report lives in the artifact store (it holds personal data); the result only has its key. */
async function renderElevoSyncReport(result: unknown, artifacts: ArtifactStore, format: ReportFormat): Promise<string | undefined> {
  const report = await artifacts.getJson<RunReport>((result as ElevoSyncResult).reportKey);
  return report ? renderElevoRunReport(report, format) : undefined;
}
