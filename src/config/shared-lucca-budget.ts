import { TemporalRequestBudget } from '../integrations/lucca/temporal-request-budget';
import type { TenantDirectoryOptions } from './tenant-directory';

/** Tenant-directory options for worker processes: Lucca budgets shared through Temporal. */
export function sharedLuccaBudgetOptions(taskQueue: string): TenantDirectoryOptions {
  return {
    luccaBudget: (domainKey, perMinute, local) => new TemporalRequestBudget({ domainKey, perMinute, taskQueue, fallback: local }),
  };
}
