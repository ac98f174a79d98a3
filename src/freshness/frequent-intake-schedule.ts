import type { ScheduleOptions } from '@temporalio/client';
import type { TenantConfig } from '../config/config-schema';
import { AEQUIVALENT_SCREENING_CONNECTOR, SCREENING_INTAKE } from '../connectors/aequivalent-screening/contract';
import { connectorRunAttributes } from '../shared/search-attributes';

/** Schedule ids of the frequent screening intake: `aequivalent-screening-intake/<tenant>`. */
export const FREQUENT_INTAKE_PREFIX = 'aequivalent-screening-intake';
export const frequentIntakeScheduleId = (tenantId: string) => `${FREQUENT_INTAKE_PREFIX}/${tenantId}`;

/**
 * Besides the daily intake, one every `intakeEveryMinutes` during the tenant's working hours
 * (Monday–Friday, its time zone), so a "Dossier à commander" set at 10:00 is ordered within
 * minutes. A separate schedule (not the daily one's spec) because the daily jitter of minutes would
 * defeat a 5-minute cadence. Orders have deterministic ids: overlapping intakes never order twice.
 * Undefined when the tenant has no screening connector or the cadence is 0.
 */
export function frequentIntakeSchedule(tenant: TenantConfig, taskQueue: string): ScheduleOptions | undefined {
  const section = tenant.aequivalent;
  if (!section?.enabled || section.intakeEveryMinutes === 0) return undefined;
  const { from, to } = section.workingHours;
  return {
    scheduleId: frequentIntakeScheduleId(tenant.id),
    spec: {
      calendars: [
        {
          minute: { start: 0, end: 59, step: section.intakeEveryMinutes },
          hour: { start: from, end: to - 1 },
          dayOfWeek: { start: 'MONDAY', end: 'FRIDAY' },
        },
      ],
      timezone: tenant.timeZone,
      jitter: '20 seconds',
    },
    action: {
      type: 'startWorkflow',
      workflowType: SCREENING_INTAKE,
      args: [{ tenantId: tenant.id }],
      taskQueue,
      workflowId: `${AEQUIVALENT_SCREENING_CONNECTOR}/${tenant.id}/intake`, // Temporal appends the scheduled time
      typedSearchAttributes: connectorRunAttributes(tenant.id, AEQUIVALENT_SCREENING_CONNECTOR),
    },
    // A missed pass is not worth catching up: the next one is minutes away and reads the same data.
    policies: { overlap: 'SKIP', catchupWindow: '1 minute', pauseOnFailure: false },
    state: {
      paused: !(tenant.enabled && section.schedule.enabled),
      ...(tenant.enabled && section.schedule.enabled ? {} : { note: 'disabled in the config' }),
    },
  };
}
