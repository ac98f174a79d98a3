import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { employeesChangedSignal, luccaChangeFeedWorkflowId, type EmployeesChanged } from '../shared/lucca-change-feed-contract';
import type { LuccaWebhookLogLine } from './lucca-webhook-receiver';

export interface ChangeFeedSignallerOptions {
  client: Client;
  /** The connectors whose change feed should hear about a tenant's changes (its enabled connectors). */
  connectorsOf(tenantId: string): readonly string[];
  log?: (line: LuccaWebhookLogLine) => void;
}

/**
 * Builds the Lucca receiver's `onChange`: a plain signal to each of the tenant's change feeds
 * (`lucca-change-feed/<tenant>/<connector>`), resolved once Temporal accepted them all. A feed that
 * is not running is logged and skipped, not started here: the change feed owns its lifecycle, and
 * the daily run reconciles what it misses. Any other failure rejects, so Lucca delivers again.
 */
export function createChangeFeedSignaller(
  options: ChangeFeedSignallerOptions,
): (tenantId: string, change: EmployeesChanged) => Promise<void> {
  const log = options.log ?? (() => undefined);
  return async (tenantId, change) => {
    for (const connector of options.connectorsOf(tenantId)) {
      try {
        await options.client.workflow.getHandle(luccaChangeFeedWorkflowId(tenantId, connector)).signal(employeesChangedSignal, change);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError) && (err as { name?: string })?.name !== 'WorkflowNotFoundError') throw err;
        log({
          level: 'warn',
          msg: 'lucca change feed not running; change left to polling and the daily run',
          tenantId,
          eventId: change.eventIds.join(','),
          reason: connector,
        });
      }
    }
  };
}
