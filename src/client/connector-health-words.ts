import type { ConnectorHealth } from '../shared/connector-health';
import { freshnessLagSeconds } from '../observability/freshness-gauges';

const age = (seconds: number) =>
  seconds < 120 ? `${seconds} s` : seconds < 7200 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds / 3600)} h`;

/** One line for `tenants`: state, freshness lag, last success, why. */
export function connectorHealthLine(health: ConnectorHealth | undefined, now = Date.now()): string {
  if (!health) return 'health: no change feed running (started by the worker, or `schedules apply`)';
  const lag = freshnessLagSeconds(health, now);
  const last = health.lastSuccessAt ? `${age(Math.round((now - Date.parse(health.lastSuccessAt)) / 1000))} ago` : 'never';
  const pending = health.pending > 0 ? `, ${health.pending} change(s) pending` : '';
  return `health: ${health.state} — fresh to ${lag === undefined ? '?' : `${age(lag)} ago`}, last success ${last}${pending} — ${health.reason}`;
}
