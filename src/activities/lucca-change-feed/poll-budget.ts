import type { FreshnessConfig, TenantConfig } from '../../config/config-schema';
import {
  budgetedPollSeconds,
  frequentIntakeRunning,
  intakePassRequests,
  SLOWEST_POLL_SECONDS,
} from '../../domain/freshness/idle-request-budget';
import type { ActivityDependencies } from '../activity-dependencies';
import { intakePopulationKey } from '../aequivalent-screening/screening-intake-activities';

/** Ten ticks: how long the feed keeps the interval it was given before reading its settings again. */
const LEAD_MINUTES = 10;

/**
 * The poll interval (v3 tenants) or sweep interval (`lucca.events` tenants) that keeps an idle
 * tenant within `freshness.idleRequestsPerHour` while its frequent screening intake runs. The
 * intake's cost is the last pass's population (written by the intake), else one page.
 */
export async function budgetedIntervals(
  deps: ActivityDependencies,
  tenant: TenantConfig,
  freshness: FreshnessConfig,
): Promise<{ pollSeconds: number; sweepSeconds: number }> {
  const perPass = await intakeRequestsNow(deps, tenant);
  const common = { idleRequestsPerHour: freshness.idleRequestsPerHour, intakeRequestsPerPass: perPass };
  const every = tenant.aequivalent?.intakeEveryMinutes ?? 5;
  if (!tenant.lucca.events)
    return {
      pollSeconds: budgetedPollSeconds({
        ...common,
        pollSeconds: freshness.pollSeconds,
        intakeEveryMinutes: every,
        otherRequestsPerHour: 0,
      }),
      sweepSeconds: freshness.sweepSeconds,
    };
  // Polling stands down while deliveries are healthy: the sweep (and its hourly cursor refresh) gives way instead.
  const sweepSeconds = budgetedPollSeconds({
    ...common,
    pollSeconds: freshness.sweepSeconds,
    intakeEveryMinutes: every,
    otherRequestsPerHour: 1,
  });
  return { pollSeconds: freshness.pollSeconds, sweepSeconds: Math.min(sweepSeconds, SLOWEST_POLL_SECONDS) };
}

async function intakeRequestsNow(deps: ActivityDependencies, tenant: TenantConfig): Promise<number> {
  const section = tenant.aequivalent;
  if (!section?.enabled || !section.schedule.enabled || section.intakeEveryMinutes === 0) return 0;
  const now = (deps.now ?? (() => new Date()))();
  if (!frequentIntakeRunning(now, tenant.timeZone, section.workingHours, LEAD_MINUTES)) return 0;
  const last = await deps.artifacts.getJson<{ scanned?: number }>(intakePopulationKey(tenant.id)).catch(() => undefined);
  return intakePassRequests(typeof last?.scanned === 'number' ? last.scanned : 0);
}
