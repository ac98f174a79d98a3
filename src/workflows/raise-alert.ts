import { log, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { Alert } from '../shared/alert-contract';

// A few attempts over a few minutes: an alert channel that is down must not stall a run for long.
const { notify } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

/**
 * Sends an alert through the tenant's notifier (webhook, e-mail). Never fails the run: an alert
 * that cannot be delivered is logged (kind and tenant only). Patched: runs recorded before alerts
 * existed replay without them.
 */
export async function raiseAlert(alert: Alert): Promise<void> {
  if (!patched('alerts-v1')) return;
  try {
    await notify(alert);
  } catch {
    log.warn('alert not delivered', { tenantId: alert.tenantId, kind: alert.kind });
  }
}
