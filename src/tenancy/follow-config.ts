import type { Client } from '@temporalio/client';
import { applySchedules, type AppliedSchedule } from '../client/schedules';
import type { ConnectorsConfig } from '../config/config-schema';
import type { TenantDiff } from '../config/tenant-diff';
import { TENANT_ID } from '../shared/search-attributes';
import { cancelChangeFeeds, ensureChangeFeeds } from '../freshness/ensure-change-feeds';
import { CONNECTOR_NAMES } from '../connectors/registry';

export interface FollowResult {
  schedules: AppliedSchedule[];
  /** Workflow ids of runs of removed tenants whose cancellation was requested. */
  cancelled: string[];
  /** Change feeds ensured running (docs/freshness.md). */
  feeds: string[];
}

/**
 * Makes Temporal follow a config the process just adopted: schedules created, updated, paused
 * (tenant or schedule disabled) or deleted (tenant or connector removed); runs still in flight for a
 * removed tenant are cancelled, so they end as "Cancelled" in the UI and `runs` instead of failing on
 * a tenant nobody knows any more. Idempotent: several workers may do it for the same change.
 */
export async function followConfig(client: Client, taskQueue: string, config: ConnectorsConfig, diff: TenantDiff): Promise<FollowResult> {
  const schedules = await applySchedules(client, config, taskQueue);
  const cancelled: string[] = [];
  for (const tenantId of diff.removed) cancelled.push(...(await cancelRunsOf(client, tenantId)));
  for (const tenantId of diff.removed) await cancelChangeFeeds(client, tenantId, CONNECTOR_NAMES);
  const feeds = await ensureChangeFeeds(client, config, taskQueue);
  return { schedules, cancelled, feeds };
}

async function cancelRunsOf(client: Client, tenantId: string): Promise<string[]> {
  const cancelled: string[] = [];
  const query = `${TENANT_ID.name} = '${tenantId}' AND ExecutionStatus = 'Running'`;
  for await (const run of client.workflow.list({ query })) {
    try {
      await client.workflow.getHandle(run.workflowId, run.runId).cancel();
      cancelled.push(run.workflowId);
    } catch {
      // Already closing, or another worker cancelled it first: nothing left to do.
    }
  }
  return cancelled;
}
