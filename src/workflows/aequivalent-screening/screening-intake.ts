import { log, proxyActivities, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { declareVersioningBehavior } from '../versioning-behavior';
import type { Activities } from '../../activities';
import {
  AEQUIVALENT_SCREENING_CONNECTOR,
  type IntakeStartReport,
  type ScreeningIntakeInput,
  type ScreeningIntakeResult,
} from '../../connectors/aequivalent-screening/contract';
import { CONNECTOR, RUN_STATE, TENANT_ID } from '../../shared/search-attributes';
import { HEARTBEAT_TIMEOUT } from '../activity-heartbeat-timeout';

const { findScreeningOrderCandidates } = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', maximumAttempts: 20 },
});
const { startScreeningOrders } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 20 },
});

/** Starts in batches so one activity attempt stays short and its answer small. */
const START_BATCH = 100;

// Minutes long: finishes on the release that started it.
declareVersioningBehavior('PINNED', screeningIntake);

/**
 * Daily, per tenant: find the employees whose order status is "to order" and start (or join) one
 * `screeningOrder` workflow each. The orders are independent workflows started through the
 * worker's client (not children): they outlive the intake by weeks and must not be tied to it.
 */
export async function screeningIntake(input: ScreeningIntakeInput): Promise<ScreeningIntakeResult> {
  upsertSearchAttributes([
    { key: TENANT_ID, value: input.tenantId },
    { key: CONNECTOR, value: AEQUIVALENT_SCREENING_CONNECTOR },
    { key: RUN_STATE, value: 'finding' },
  ]);
  setCurrentDetails('Looking for employees whose screening order status is "to order"');
  const found = await findScreeningOrderCandidates({ tenantId: input.tenantId });

  upsertSearchAttributes([{ key: RUN_STATE, value: 'starting' }]);
  const report: IntakeStartReport = { started: [], restarted: [], joined: [], refused: [] };
  for (let i = 0; i < found.candidates.length; i += START_BATCH) {
    const batch = await startScreeningOrders({ tenantId: input.tenantId, candidates: found.candidates.slice(i, i + START_BATCH) });
    report.started.push(...batch.started);
    report.restarted.push(...batch.restarted);
    report.joined.push(...batch.joined);
    report.refused.push(...batch.refused);
    setCurrentDetails(
      `Orders: ${report.started.length} started, ${report.restarted.length} re-run, ${report.joined.length} joined, ${report.refused.length} refused (of ${found.candidates.length})`,
    );
  }
  if (report.refused.length > 0)
    log.warn('screening intake refused some orders', { tenantId: input.tenantId, refused: report.refused.length });
  upsertSearchAttributes([{ key: RUN_STATE, value: 'completed' }]);
  // `?? []`: a history recorded before the intake reported former employees has no `skipped`.
  const skipped = found.skipped ?? [];
  return {
    tenantId: input.tenantId,
    runDate: input.runDate,
    candidates: found.candidates.length,
    skipped,
    scanned: found.scanned,
    luccaRequests: found.luccaRequests,
    ...report,
  };
}
