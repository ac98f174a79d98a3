import { ensureNamespace } from './namespace-setup';
import { ensureSearchAttributes, type RetryOptions } from './search-attribute-setup';
import type { StoreSchema } from './store-schema';
import type { TemporalServices } from './temporal-services';

export interface SetupTarget {
  services: TemporalServices;
  namespace: string;
  retentionDays: number;
  /** The store's migrations; undefined for the filesystem store (nothing to migrate). */
  store?: StoreSchema;
  /** Described in the output when the store has nothing to migrate. */
  storeDescription: string;
  searchAttributeRetry?: RetryOptions;
}

/**
 * `lucca-connectors setup`: prepares a real cluster and the store, idempotently — the namespace
 * with its retention, the search attributes, the store migrations. Returns one line per step.
 */
export async function prepareDeployment(target: SetupTarget): Promise<string[]> {
  const lines = [await ensureNamespace(target.services, target.namespace, target.retentionDays)];
  lines.push(await ensureSearchAttributes(target.services, target.namespace, target.searchAttributeRetry));
  // The store describes itself ("store <where>: applied …" / "schema up to date").
  lines.push(target.store ? await target.store.migrate() : `store: ${target.storeDescription}, nothing to migrate`);
  return lines;
}
