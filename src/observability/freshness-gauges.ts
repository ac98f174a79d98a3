import type { Client } from '@temporalio/client';
import type { MetricMeter } from '@temporalio/common';
import type { ConnectorsConfig } from '../config/config-schema';
import { connectorsOf } from '../connectors/registry';
import { connectorHealthQuery, HEALTH_STATES, type ConnectorHealth } from '../shared/connector-health';
import { luccaChangeFeedWorkflowId } from '../shared/lucca-change-feed-contract';

/** Health of every tenant × connector, read from its change feed (undefined: no feed running). */
export async function readConnectorHealth(
  client: Client,
  config: ConnectorsConfig,
): Promise<Array<{ tenantId: string; connector: string; health?: ConnectorHealth }>> {
  const rows = config.tenants.flatMap((t) => connectorsOf(t).map((c) => ({ tenantId: t.id, connector: c.name })));
  return Promise.all(
    rows.map(async (row) => {
      const health = await client.workflow
        .getHandle(luccaChangeFeedWorkflowId(row.tenantId, row.connector))
        .query(connectorHealthQuery)
        .catch(() => undefined);
      return { ...row, ...(health ? { health } : {}) };
    }),
  );
}

/** Freshness lag in seconds: how far behind Lucca the connector may be now (undefined: never fresh yet). */
export function freshnessLagSeconds(health: ConnectorHealth, now = Date.now()): number | undefined {
  return health.freshAsOf ? Math.max(0, Math.round((now - Date.parse(health.freshAsOf)) / 1000)) : undefined;
}

/**
 * Prometheus gauges (through the worker's metrics endpoint) per tenant × connector:
 * `lucca_connectors_health_state{state=…}` (1 for the current state, 0 otherwise),
 * `lucca_connectors_freshness_lag_seconds`, `lucca_connectors_last_success_timestamp_seconds`,
 * `lucca_connectors_pending_changes`. Every worker exports the same values (it asks the feeds),
 * so any of them can be scraped; alert rules take `max` across workers.
 */
export function startFreshnessGauges(options: {
  client: Client;
  config: () => ConnectorsConfig;
  meter: MetricMeter;
  everyMs?: number;
  onError?: (err: Error) => void;
}): { stop(): void } {
  const state = options.meter.createGauge(
    'lucca_connectors_health_state',
    'int',
    '',
    'connector health: 1 for the current state of tenant × connector',
  );
  const lag = options.meter.createGauge('lucca_connectors_freshness_lag_seconds', 'int', 's', 'how far behind Lucca the connector may be');
  const lastSuccess = options.meter.createGauge(
    'lucca_connectors_last_success_timestamp_seconds',
    'int',
    's',
    'last successful poll or apply',
  );
  const pending = options.meter.createGauge('lucca_connectors_pending_changes', 'int', '', 'employees seen changed, not applied yet');
  const refresh = async () => {
    for (const row of await readConnectorHealth(options.client, options.config())) {
      const tags = { tenant: row.tenantId, connector: row.connector };
      for (const s of HEALTH_STATES) state.set(row.health?.state === s ? 1 : 0, { ...tags, state: s });
      if (!row.health) continue;
      const seconds = freshnessLagSeconds(row.health);
      if (seconds !== undefined) lag.set(seconds, tags);
      if (row.health.lastSuccessAt) lastSuccess.set(Math.round(Date.parse(row.health.lastSuccessAt) / 1000), tags);
      pending.set(row.health.pending, tags);
    }
  };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    refresh()
      .catch((err: Error) => options.onError?.(err))
      .finally(() => {
        running = false;
      });
  }, options.everyMs ?? 30_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
