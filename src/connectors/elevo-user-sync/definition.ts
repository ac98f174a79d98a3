import type { Client, WorkflowHandle } from '@temporalio/client';
import { elevoRunWords } from './report/run-words';
import { createElevoUserSyncActivities } from '../../activities/elevo-user-sync/elevo-user-sync-activities';
import { progressLine } from '../../client/progress-bar';
import type { RunReport } from './domain/run-report';
import { renderElevoRunReport } from './report/render-run-report';
import {
  ELEVO_USER_SYNC,
  ELEVO_USER_SYNC_CONNECTOR,
  elevoSyncLockWorkflowId,
  elevoSyncProgressQuery,
  elevoUserSyncWorkflowId,
  type ElevoSyncResult,
} from './contract';
import type { ArtifactStore } from '../../storage/artifact-store';
import { elevoConnectorSchema } from './config-section';
import type { ConnectorDefinition, ReportFormat, RunProgress } from '../connector-definition';
import { elevoUserSyncCheck } from './onboarding-check';

/** Lucca → Elevo, daily per tenant (config section `elevo`). */
export const elevoUserSyncConnector = {
  name: ELEVO_USER_SYNC_CONNECTOR,
  title: 'Elevo user sync',
  configKey: 'elevo',
  configSection: elevoConnectorSchema,
  workflowsPath: require.resolve('../../workflows/elevo-user-sync'),
  workflowType: ELEVO_USER_SYNC,
  runWorkflowId: elevoUserSyncWorkflowId,
  supportsDryRun: true,
  // The workflow refuses them too (runs started from the UI or the temporal CLI).
  backfillRefusal: (tenantId) =>
    `backfill refused for elevo-user-sync: a sync brings Elevo to Lucca's current state and Lucca keeps no history, so a past day cannot be replayed. Run it now: \`lucca-connectors run ${tenantId} elevo-user-sync\``,
  beforeManualRun: (client, tenantId, { dryRun }) => (dryRun ? Promise.resolve() : refuseIfSyncRunning(client, tenantId)),
  runWords: elevoRunWords,
  createActivities: createElevoUserSyncActivities,
  progress: elevoSyncProgress,
  renderReport: renderElevoSyncReport,
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

/** Tells the operator at once (the workflow would refuse too: the tenant's lock is the real guard). */
async function refuseIfSyncRunning(client: Client, tenantId: string): Promise<void> {
  const description = await client.workflow
    .getHandle(elevoSyncLockWorkflowId(tenantId))
    .describe()
    .catch(() => undefined);
  if (description?.status.name !== 'RUNNING') return;
  const holder = description.parentExecution?.workflowId ?? 'unknown';
  throw new Error(
    `another Elevo sync of ${tenantId} is running (${holder}); at most one runs at a time. Wait for it, or follow it with \`lucca-connectors runs --tenant ${tenantId} --connector elevo-user-sync\``,
  );
}
