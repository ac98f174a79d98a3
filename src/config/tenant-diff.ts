import { isDeepStrictEqual } from 'node:util';
import type { TenantConfig } from './config-schema';

/** What a new config changes, tenant by tenant (ids compared, sections compared deeply). */
export interface TenantDiff {
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: string[];
}

export function diffTenants(before: readonly TenantConfig[], after: readonly TenantConfig[]): TenantDiff {
  const old = new Map(before.map((t) => [t.id, t]));
  const diff: TenantDiff = { added: [], removed: [], changed: [], unchanged: [] };
  for (const tenant of after) {
    const previous = old.get(tenant.id);
    if (!previous) diff.added.push(tenant.id);
    else if (isDeepStrictEqual(previous, tenant)) diff.unchanged.push(tenant.id);
    else diff.changed.push(tenant.id);
    old.delete(tenant.id);
  }
  diff.removed.push(...old.keys());
  return diff;
}

export const isEmptyDiff = (diff: TenantDiff): boolean => diff.added.length + diff.removed.length + diff.changed.length === 0;
