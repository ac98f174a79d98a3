import type { HealthState } from '../../shared/connector-health';

/** What the feed knows when it judges its connector's health. */
export interface HealthFacts {
  active: boolean;
  /** A failure no retry fixes (bad key, missing permission): someone must act. */
  permanentFailure?: string;
  consecutiveFailures: number;
  lastFailure?: string;
  /** How long the oldest change seen has waited to be applied. */
  oldestPendingMs?: number;
  /** How long the targeted (or burst) run in flight has been running. */
  applyRunningMs?: number;
}

/** Beyond the 5-minute freshness target, a waiting change makes the connector `degraded`. */
export const STALE_AFTER_MS = 5 * 60_000;
const FAILING_AFTER = 3;

/** The state and its reason in words (no personal data). Pure. */
export function judgeHealth(f: HealthFacts): { state: HealthState; reason: string } {
  if (!f.active) return { state: 'paused', reason: 'the connector, its tenant or freshness is disabled in the config' };
  if (f.permanentFailure) return { state: 'needs-action', reason: `${f.permanentFailure}: no retry can fix it; see \`tenants check\`` };
  if (f.consecutiveFailures >= FAILING_AFTER)
    return {
      state: 'failing',
      reason: `the last ${f.consecutiveFailures} attempts failed (${f.lastFailure ?? 'unknown'}); still retrying`,
    };
  if (f.consecutiveFailures > 0) return { state: 'degraded', reason: `the last attempt failed (${f.lastFailure ?? 'unknown'}); retrying` };
  if ((f.applyRunningMs ?? 0) > 3 * STALE_AFTER_MS)
    return {
      state: 'degraded',
      reason: `a sync of changed employees has been running for ${Math.round(f.applyRunningMs! / 60_000)} min (held for approval?)`,
    };
  if ((f.oldestPendingMs ?? 0) > STALE_AFTER_MS)
    return {
      state: 'degraded',
      reason: `changes have waited ${Math.round(f.oldestPendingMs! / 60_000)} min (another run holds the tenant?)`,
    };
  return { state: 'healthy', reason: 'changes are applied as they come' };
}
