import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import type { ConnectorsConfig } from '../config/config-schema';
import { connectorsOf } from '../connectors/registry';
import { LUCCA_CHANGE_FEED, luccaChangeFeedWorkflowId } from '../shared/lucca-change-feed-contract';

/**
 * Starts the change feed of every tenant × enabled connector that is not running yet (idempotent:
 * a running feed is left alone). Called by the worker at start-up and after each config reload, by
 * `schedules apply` and by `npm start`: whatever stops a feed, the next of these brings it back.
 * A feed whose tenant, connector or freshness is disabled keeps running as `paused` (one settings
 * read every few minutes, no Lucca request); a removed tenant's feed is cancelled with its runs.
 */
export async function ensureChangeFeeds(client: Client, config: ConnectorsConfig, taskQueue: string): Promise<string[]> {
  const ensured: string[] = [];
  for (const tenant of config.tenants) {
    if (!tenant.freshness.enabled) continue;
    for (const connector of connectorsOf(tenant)) {
      const workflowId = luccaChangeFeedWorkflowId(tenant.id, connector.name);
      await client.workflow.start(LUCCA_CHANGE_FEED, {
        workflowId,
        taskQueue,
        args: [{ tenantId: tenant.id, connector: connector.name }],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      });
      ensured.push(workflowId);
    }
  }
  return ensured;
}

/** A removed tenant's feeds stop (cancelled; a feed already gone is fine). */
export async function cancelChangeFeeds(client: Client, tenantId: string, connectors: readonly string[]): Promise<void> {
  for (const connector of connectors)
    await client.workflow
      .getHandle(luccaChangeFeedWorkflowId(tenantId, connector))
      .cancel()
      .catch(() => undefined);
}
