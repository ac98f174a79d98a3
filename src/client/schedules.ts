import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptions,
} from '@temporalio/client';
import type { ConnectorsConfig } from '../config/config-schema';
import { connectorRunAttributes } from '../shared/search-attributes';
import { CONNECTOR_NAMES, connectorsOf } from '../connectors/registry';
import { FREQUENT_INTAKE_PREFIX, frequentIntakeSchedule } from '../freshness/frequent-intake-schedule';

export interface AppliedSchedule {
  scheduleId: string;
  action: 'created' | 'updated' | 'paused' | 'deleted';
}

/** Schedules this project owns: `<connector>/<tenant>`. */
const OWNED_SCHEDULE = new RegExp(`^(${[...CONNECTOR_NAMES, FREQUENT_INTAKE_PREFIX].join('|')})/[a-z0-9][a-z0-9-]*$`);

export const scheduleIdOf = (connector: string, tenantId: string) => `${connector}/${tenantId}`;

/**
 * One Temporal Schedule per tenant × connector, from the config: daily at the configured time in
 * the tenant's time zone, with jitter, never two runs at once (SKIP), and a one-day catch-up window
 * so a server outage does not lose a day. Re-applying updates existing schedules in place.
 */
export async function applySchedules(client: Client, config: ConnectorsConfig, taskQueue: string): Promise<AppliedSchedule[]> {
  const applied: AppliedSchedule[] = [];
  const wanted = new Set(config.tenants.flatMap((t) => connectorsOf(t).map((c) => scheduleIdOf(c.name, t.id))));
  for (const tenant of config.tenants) {
    for (const connector of connectorsOf(tenant)) {
      const scheduleId = scheduleIdOf(connector.name, tenant.id);
      const enabled = connector.schedule.enabled && tenant.enabled;
      const note = tenant.enabled ? 'disabled in the config' : 'tenant disabled in the config';
      const options: ScheduleOptions = {
        scheduleId,
        spec: {
          calendars: [{ hour: connector.schedule.at.hour, minute: connector.schedule.at.minute }],
          timezone: tenant.timeZone,
          jitter: `${connector.schedule.jitterMinutes} minutes`,
        },
        action: {
          type: 'startWorkflow',
          workflowType: connector.definition.workflowType,
          args: [{ tenantId: tenant.id }],
          taskQueue,
          workflowId: `${connector.name}/${tenant.id}`, // Temporal appends the scheduled time
          typedSearchAttributes: connectorRunAttributes(tenant.id, connector.name),
        },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day', pauseOnFailure: false },
        state: { paused: !enabled, note: enabled ? undefined : note },
      };
      applied.push(await upsertSchedule(client, options, enabled, note));
    }
    const frequent = frequentIntakeSchedule(tenant, taskQueue);
    if (frequent) {
      wanted.add(frequent.scheduleId);
      applied.push(await upsertSchedule(client, frequent, !frequent.state?.paused, 'disabled in the config'));
    }
  }
  // Tenants (or connectors) removed from the config lose their schedule; their past runs stay.
  for await (const schedule of client.schedule.list()) {
    if (OWNED_SCHEDULE.test(schedule.scheduleId) && !wanted.has(schedule.scheduleId)) {
      try {
        await client.schedule.getHandle(schedule.scheduleId).delete();
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err; // another process deleted it first
      }
      applied.push({ scheduleId: schedule.scheduleId, action: 'deleted' });
    }
  }
  return applied;
}

/** Creates the schedule, or updates it in place; pause and resume follow the config. */
async function upsertSchedule(client: Client, options: ScheduleOptions, enabled: boolean, note: string): Promise<AppliedSchedule> {
  const { scheduleId } = options;
  try {
    await client.schedule.create(options);
    return { scheduleId, action: enabled ? 'created' : 'paused' };
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    const handle = client.schedule.getHandle(scheduleId);
    await handle.update((previous) => ({
      ...previous,
      spec: options.spec,
      action: options.action,
      policies: { ...previous.policies, ...options.policies },
    }));
    // A schedule disabled then enabled again runs again; one an operator paused stays paused.
    const { state } = await handle.describe();
    if (!enabled && !state.paused) await handle.pause(note);
    if (enabled && state.paused && (state.note === 'disabled in the config' || state.note === 'tenant disabled in the config'))
      await handle.unpause('enabled in the config');
    return { scheduleId, action: enabled ? 'updated' : 'paused' };
  }
}

export interface ScheduleRow {
  scheduleId: string;
  paused: boolean;
  nextRuns: Date[];
  recentRuns: number;
  note?: string;
}

export async function listSchedules(client: Client): Promise<ScheduleRow[]> {
  const rows: ScheduleRow[] = [];
  for await (const s of client.schedule.list()) {
    if (!OWNED_SCHEDULE.test(s.scheduleId)) continue;
    rows.push({
      scheduleId: s.scheduleId,
      paused: s.state.paused,
      nextRuns: s.info.nextActionTimes.slice(0, 2),
      recentRuns: s.info.recentActions.length,
      note: s.state.note,
    });
  }
  return rows.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

/** From the tenant's local midnight of `from` to the end of `to`, as instants. */
export function backfillWindow(from: string, to: string, timeZone: string): { start: Date; end: Date } {
  return { start: zonedMidnight(from, timeZone), end: new Date(zonedMidnight(to, timeZone).getTime() + 24 * 3600_000 - 1000) };
}

function zonedMidnight(day: string, timeZone: string): Date {
  const utc = new Date(`${day}T00:00:00Z`);
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(utc);
  const offset = /GMT([+-]\d{2}):?(\d{2})?/.exec(parts.find((p) => p.type === 'timeZoneName')?.value ?? '');
  const minutes = offset ? Number(offset[1]) * 60 + Math.sign(Number(offset[1])) * Number(offset[2] ?? 0) : 0;
  return new Date(utc.getTime() - minutes * 60_000);
}
