import { Runtime } from '@temporalio/worker';
import { TemporalRequestBudget } from '../integrations/lucca/temporal-request-budget';
import type { TenantDirectoryOptions } from './tenant-directory';

/**
 * Tenant-directory options for worker processes: Lucca budgets shared through Temporal. At most
 * half the worker's activity slots wait on one Lucca domain, so one busy customer cannot hold the
 * slots every other tenant needs.
 */
export function sharedLuccaBudgetOptions(
  taskQueue: string,
  maxConcurrentActivities = Number(process.env.LUCCA_CONNECTORS_MAX_ACTIVITIES ?? 20),
  onDegraded: (domainKey: string, reason: string) => void = (domainKey, reason) => {
    Runtime.instance().logger.warn('Lucca budget: Temporal unreachable, per-process limit for 15 s', { domainKey, reason });
  },
): TenantDirectoryOptions {
  const maxWaitersPerProcess = Math.max(1, Math.floor(maxConcurrentActivities / 2));
  return {
    luccaBudget: (domainKey, perMinute, local) =>
      new TemporalRequestBudget({
        domainKey,
        perMinute,
        taskQueue,
        fallback: local,
        maxWaitersPerProcess,
        onDegraded: (reason) => onDegraded(domainKey, reason),
      }),
  };
}
