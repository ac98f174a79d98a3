import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { Command } from 'commander';
import type { TenantConfig } from '../config/config-schema';
import { latestTenantCheck, summarizeCheck } from '../onboarding/tenant-check-records';
import { connectorsOf } from '../connectors/registry';
import { buildRuntime } from '../runtime/connectors-runtime';
import { scheduleIdOf } from './schedules';
import { TemporalConnectionError } from '../runtime/temporal-connection';
import { NotReadyError } from '../setup/readiness-check';
import { openClientContext, type ClientContext } from './temporal-context';
import { connectorHealthQuery, type ConnectorHealth } from '../shared/connector-health';
import { luccaChangeFeedWorkflowId } from '../shared/lucca-change-feed-contract';
import { connectorHealthLine } from './connector-health-words';

const when = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')}Z`;

async function lastRun(client: Client, tenantId: string, connector: string): Promise<string> {
  for await (const wf of client.workflow.list({ query: `LuccaTenantId = '${tenantId}' AND LuccaConnector = '${connector}'` })) {
    const state = wf.searchAttributes?.LuccaRunState?.[0];
    return `${when(wf.startTime)} ${wf.status.name.toLowerCase()}${state ? ` (${String(state)})` : ''}`;
  }
  return 'never';
}

async function nextRun(client: Client, tenantId: string, connector: string): Promise<string> {
  try {
    const { state, info } = await client.schedule.getHandle(scheduleIdOf(connector, tenantId)).describe();
    if (state.paused) return `paused${state.note ? ` (${state.note})` : ''}`;
    return info.nextActionTimes[0] ? when(info.nextActionTimes[0]) : '-';
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return 'no schedule yet (workers create it; or `schedules apply`)';
    throw err;
  }
}

function feedHealth(client: Client, tenantId: string, connector: string): Promise<ConnectorHealth | undefined> {
  return client.workflow
    .getHandle(luccaChangeFeedWorkflowId(tenantId, connector))
    .query(connectorHealthQuery)
    .catch(() => undefined);
}

async function tenantLines(tenant: TenantConfig, check: string, temporal: ClientContext | undefined): Promise<string[]> {
  const lines = [`${tenant.id.padEnd(16)} ${tenant.timeZone.padEnd(16)} ${tenant.enabled ? 'enabled ' : 'DISABLED'}  last check: ${check}`];
  for (const c of connectorsOf(tenant)) {
    const [last, next] = temporal
      ? await Promise.all([lastRun(temporal.client, tenant.id, c.name), nextRun(temporal.client, tenant.id, c.name)])
      : ['?', '?'];
    lines.push(`  ${c.name.padEnd(22)} last run: ${last.padEnd(36)} next: ${next}`);
    if (temporal) lines.push(`  ${''.padEnd(22)} ${connectorHealthLine(await feedHealth(temporal.client, tenant.id, c.name))}`);
  }
  if (connectorsOf(tenant).length === 0) lines.push('  no connector enabled');
  return lines;
}

export function registerTenantListCommand(tenants: Command): void {
  tenants
    .command('list', { isDefault: true })
    .description("each tenant's last check, and per connector its last run, next scheduled time, health and freshness")
    .action(async () => {
      const ctx = buildRuntime();
      let temporal: ClientContext | undefined;
      try {
        temporal = await openClientContext();
      } catch (err) {
        if (!(err instanceof TemporalConnectionError || err instanceof NotReadyError)) throw err;
        console.error(`note: ${err.message}; runs and schedules are not shown`);
      }
      try {
        for (const tenant of ctx.loaded.config.tenants) {
          const check = summarizeCheck(await latestTenantCheck(ctx.artifacts, tenant.id).catch(() => undefined));
          console.log((await tenantLines(tenant, check, temporal)).join('\n'));
        }
      } finally {
        await temporal?.close();
      }
    });
}
