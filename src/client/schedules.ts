import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { ConnectorsConfig } from '../config/config-schema';
import { CONNECTOR, TENANT_ID } from '../shared/search-attributes';
import { connectorsOf } from './connector-catalog';

export interface AppliedSchedule {
  scheduleId: string;
  action: 'created' | 'updated' | 'paused';
}

export const scheduleIdOf = (connector: string, tenantId: string) => `${connector}/${tenantId}`;

/**
 * One Temporal Schedule per tenant × connector, from the config: daily at the configured time in
 * the tenant's time zone, with jitter, never two runs at once (SKIP), and a one-day catch-up window
 * so a server outage does not lose a day. Re-applying updates existing schedules in place.
 */
export async function applySchedules(client: Client, config: ConnectorsConfig, taskQueue: string): Promise<AppliedSchedule[]> {
  const applied: AppliedSchedule[] = [];
  for (const tenant of config.tenants) {
    for (const connector of connectorsOf(tenant)) {
      const scheduleId = scheduleIdOf(connector.name, tenant.id);
      const options: ScheduleOptions = {
        scheduleId,
        spec: {
          calendars: [{ hour: connector.schedule.at.hour, minute: connector.schedule.at.minute }],
          timezone: tenant.timeZone,
          jitter: `${connector.schedule.jitterMinutes} minutes`,
        },
        action: {
          type: 'startWorkflow',
          workflowType: connector.workflowType,
          args: [{ tenantId: tenant.id }],
          taskQueue,
          workflowId: `${connector.name}/${tenant.id}`, // Temporal appends the scheduled time
          typedSearchAttributes: [
            { key: TENANT_ID, value: tenant.id },
            { key: CONNECTOR, value: connector.name },
          ],
        },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day', pauseOnFailure: false },
        state: { paused: !connector.schedule.enabled, note: connector.schedule.enabled ? undefined : 'disabled in the config' },
      };
      try {
        await client.schedule.create(options);
        applied.push({ scheduleId, action: connector.schedule.enabled ? 'created' : 'paused' });
      } catch (err) {
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
        const handle = client.schedule.getHandle(scheduleId);
        await handle.update((previous) => ({ ...previous, spec: options.spec, action: options.action, policies: { ...previous.policies, ...options.policies } }));
        if (!connector.schedule.enabled) await handle.pause('disabled in the config');
        applied.push({ scheduleId, action: connector.schedule.enabled ? 'updated' : 'paused' });
      }
    }
  }
  return applied;
}
