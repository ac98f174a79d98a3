import { log, metricMeter, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { Alert } from '../shared/alert-contract';
import { HEARTBEAT_TIMEOUT } from './activity-heartbeat-timeout';

/** Run held, run failed, write-back blocked, order invalid, result available (deploy/prometheus). */
export const ALERTS_METRIC = 'lucca_connectors_alerts';

// A few attempts over a few minutes: an alert channel that is down must not stall a run for long.
const { notify } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

/**
 * Sends an alert through the tenant's notifier (webhook, e-mail). Never fails the run: an alert
 * that cannot be delivered is logged (kind and tenant only). Patched: runs recorded before alerts
 * existed replay without them.
 */
export async function raiseAlert(alert: Alert): Promise<void> {
  if (!patched('alerts-v1')) return;
  // Prometheus sees every alert, whether or not the tenant has a channel (not emitted on replay).
  metricMeter
    .createCounter(ALERTS_METRIC, undefined, 'Alerts raised by the connectors, by kind')
    .add(1, { kind: alert.kind, tenant_id: alert.tenantId });
  try {
    await notify(alert);
  } catch {
    log.warn('alert not delivered', { tenantId: alert.tenantId, kind: alert.kind });
  }
}
