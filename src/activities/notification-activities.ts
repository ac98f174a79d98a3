import { activityInfo, log } from '@temporalio/activity';
import type { TenantDirectory } from '../config/tenant-directory';
import { TenantNotifier, type AlertDelivery } from '../notifications/tenant-notifier';
import type { Alert } from '../shared/alert-contract';

/** The `notify` activity: one notifier per tenant, built from its config on first use. */
export function createNotificationActivities(deps: { tenants: TenantDirectory }) {
  const notifiers = new Map<string, TenantNotifier>();
  const notifierOf = (tenantId: string) => {
    let notifier = notifiers.get(tenantId);
    if (!notifier) {
      notifier = new TenantNotifier(deps.tenants.tenant(tenantId).notifications, (ref) => deps.tenants.secret(ref));
      notifiers.set(tenantId, notifier);
    }
    return notifier;
  };
  return {
    async notify(alert: Alert): Promise<AlertDelivery> {
      const info = activityInfo();
      // Stable across retries of this activity: receivers dedupe on it.
      const alertId = `${info.workflowExecution?.workflowId ?? alert.runId}/${info.workflowExecution?.runId ?? '-'}/${info.activityId}`;
      const delivery = await notifierOf(alert.tenantId).send(alert, alertId);
      log.info('alert sent', {
        tenantId: alert.tenantId,
        kind: alert.kind,
        webhook: delivery.webhook,
        emailRecipients: delivery.emailRecipients,
      });
      return delivery;
    },
  };
}
