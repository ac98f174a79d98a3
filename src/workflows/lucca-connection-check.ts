import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import { declareVersioningBehavior } from './versioning-behavior';
import type { Activities } from '../activities';
import type { LuccaConnectionReport } from '../activities/lucca-connection-activities';
import { CONNECTOR, TENANT_ID } from '../shared/search-attributes';
import { HEARTBEAT_TIMEOUT } from './activity-heartbeat-timeout';

const { checkLuccaConnection } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

// Seconds long: finishes on the release that started it.
declareVersioningBehavior('PINNED', luccaConnectionCheck);

/** Verifies a tenant's Lucca access before connectors are scheduled (and as a smoke test). */
export async function luccaConnectionCheck(input: { tenantId: string }): Promise<LuccaConnectionReport> {
  upsertSearchAttributes([
    { key: TENANT_ID, value: input.tenantId },
    { key: CONNECTOR, value: 'lucca-connection-check' },
  ]);
  return checkLuccaConnection(input.tenantId);
}
