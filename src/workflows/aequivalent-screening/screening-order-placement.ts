import { log, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { PreparedOrder } from '../../activities/aequivalent-screening/prepare-screening-order';
import {
  dossierIdempotencyKey,
  AEQUIVALENT_SCREENING_CONNECTOR,
  type ScreeningOutcome,
} from '../../connectors/aequivalent-screening/contract';
import { CONNECTOR, EMPLOYEE_ID, TENANT_ID } from '../../shared/search-attributes';
import { failureType } from '../failure-type';
import { raiseAlert } from '../raise-alert';
import type { PlacedOrder, ScreeningOrderRun } from './screening-order-run';
import { writeUntilDone } from './screening-write-back';
import { HEARTBEAT_TIMEOUT } from '../activity-heartbeat-timeout';

const { prepareScreeningOrder } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', maximumAttempts: 30 },
});
// The create is idempotent (key derived from the order): retrying it for a long time is safe.
const { createScreeningDossier } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '2 seconds', maximumInterval: '10 minutes', maximumAttempts: 200 },
});
const { transferScreeningFiles } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes', maximumAttempts: 20 },
});

const DAY_MS = 24 * 3600 * 1000;

type Prepared = Extract<PreparedOrder, { kind: 'ready' }>;

/** (a) read + validate, (b) create, (d) write back, (c) files. Returns what following needs, or an outcome. */
export async function placeOrder(run: ScreeningOrderRun): Promise<PlacedOrder | { outcome: ScreeningOutcome }> {
  const { input, state } = run;
  upsertSearchAttributes([
    { key: TENANT_ID, value: input.tenantId },
    { key: CONNECTOR, value: AEQUIVALENT_SCREENING_CONNECTOR },
    { key: EMPLOYEE_ID, value: String(input.luccaId) },
  ]);
  run.setStage('reading', 'Reading the candidate and the Background check section in Lucca');
  const prepared = await prepareScreeningOrder({
    tenantId: input.tenantId,
    luccaId: input.luccaId,
    orderKey: input.orderKey,
    externalReference: run.workflowId,
  });
  if (prepared.kind === 'cancelled-by-hr') {
    log.info('screening order no longer requested in Lucca', { tenantId: input.tenantId, luccaId: input.luccaId, reason: prepared.reason });
    state.problems.push({
      code: prepared.reason,
      field: 'orderStatus',
      message: 'The order status in Lucca is no longer "to order" for this request: nothing was ordered.',
    });
    return { outcome: 'cancelled-by-hr' };
  }
  if (prepared.kind === 'invalid') {
    state.problems.push(...prepared.problems);
    await raiseAlert({
      kind: 'order-invalid',
      tenantId: input.tenantId,
      runId: run.workflowId,
      luccaId: input.luccaId,
      problems: prepared.problems,
    });
    return { outcome: 'invalid' };
  }
  state.problems.push(...prepared.warnings);
  if (run.cancelRequest) return { outcome: 'cancelled' };
  const placed = await createDossier(run, prepared);
  // (d) write-back, before anything else can fail: Lucca must show the order is placed
  run.setStage('writing-back', 'Writing the "dossier created" status back to Lucca');
  await writeUntilDone(run, placed, prepared.target.createdEntryId, 'created');
  if (prepared.files.length > 0) await transferFiles(run, placed.dossierId, prepared.files);
  return placed;
}

/** (b) create, idempotently: a retry or a re-run of this order gets the same dossier back. */
async function createDossier(run: ScreeningOrderRun, prepared: Prepared): Promise<PlacedOrder> {
  // The config enforces a floor in minutes; one second here only guards against a zero.
  const pollMs = Math.max(1_000, Math.round(prepared.pollIntervalMinutes * 60_000));
  // Orders placed before these settings existed replay with activity results that lack them.
  const writeBackAlertMs = Math.round((prepared.writeBackAlertHours ?? 24) * 3600_000);
  run.setStage('ordering', 'Creating the dossier at Aequivalent');
  const created = await createScreeningDossier({
    tenantId: run.input.tenantId,
    request: prepared.request,
    idempotencyKey: dossierIdempotencyKey(run.input),
  });
  run.state.dossierId = created.dossierId;
  run.applySnapshot(created, 'create');
  return {
    dossierId: created.dossierId,
    target: prepared.target,
    pollMs,
    writeBackAlertMs,
    deadlineAtMs: Date.now() + Math.round((prepared.followUpDeadlineDays ?? 60) * DAY_MS),
  };
}

/** (c) files: streamed by the activity, never through this workflow; a failure is reported, the order goes on. */
async function transferFiles(run: ScreeningOrderRun, dossierId: string, files: Prepared['files']): Promise<void> {
  const { input, state } = run;
  run.setStage('transferring-files', `Transferring ${files.length} file(s) to Aequivalent`);
  try {
    const { transferred } = await transferScreeningFiles({
      tenantId: input.tenantId,
      luccaId: input.luccaId,
      dossierId,
      keyPrefix: dossierIdempotencyKey(input),
      files,
    });
    state.filesTransferred = transferred;
  } catch (err) {
    // The dossier exists: a file that cannot be handed over is reported, the order goes on.
    state.problems.push({
      code: 'file_transfer_failed',
      field: 'files',
      message: `Some files could not be transferred to Aequivalent (${failureType(err)}); send them manually.`,
    });
  }
}
