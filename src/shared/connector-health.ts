import { defineQuery } from '@temporalio/workflow';

/**
 * Health and freshness of one tenant × connector, as its change feed sees it (`tenants`, the
 * worker's Prometheus gauges, the health alerts). Data-free: states, times, counts, reason codes.
 */
export type HealthState = 'healthy' | 'degraded' | 'failing' | 'needs-action' | 'paused';
export const HEALTH_STATES: readonly HealthState[] = ['healthy', 'degraded', 'failing', 'needs-action', 'paused'];

export interface ConnectorHealth {
  state: HealthState;
  /** Why, in words for an operator (no personal data). */
  reason: string;
  /** ISO time the state was entered. */
  since: string;
  /** ISO time of the last poll (and apply) that succeeded. */
  lastSuccessAt?: string;
  /** ISO time up to which every change seen in Lucca is applied: the freshness lag is now minus this. */
  freshAsOf?: string;
  /** Seconds from a change's observation to its application, for the last changes applied. */
  lastApplyLagSeconds?: number;
  consecutiveFailures: number;
  /** Employees seen changed and not applied yet. */
  pending: number;
  /** Lucca requests spent by this feed's polls since it (re)started. */
  pollRequests: number;
  polls: number;
  /** `employeesChanged` signals dropped as invalid, and redeliveries ignored (this run of the feed). */
  signalsDropped?: number;
  signalsDuplicated?: number;
  /** Tenants with `lucca.events`: events-feed sweeps, deliveries they found missing, and whether v3 polling runs (fallback) or stands down. */
  sweeps?: number;
  missedDeliveries?: number;
  polling?: 'fallback' | 'standing-down';
}

export const connectorHealthQuery = defineQuery<ConnectorHealth>('connectorHealth');

/** Whether entering `next` from `previous` is worth telling someone (alert). */
export function healthAlertWorthy(previous: HealthState, next: HealthState): boolean {
  const bad = (s: HealthState) => s === 'failing' || s === 'needs-action';
  return (bad(next) && previous !== next) || (bad(previous) && next === 'healthy');
}
