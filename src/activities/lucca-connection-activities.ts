import type { TenantDirectory } from '../config/tenant-directory';
import { countRequests } from '../integrations/http/json-http-client';

export interface LuccaConnectionReport {
  tenantId: string;
  /** Current and future employees the key can see. */
  currentEmployees: number;
  /** Including former employees (0 extra when the key lacks "See former employees"). */
  allEmployees: number;
  /** Extended-data codes the key can see definitions of. */
  extendedDataDefinitions: number;
  luccaRequests: number;
}

/** Cheap checks that a tenant's Lucca key works and what it can see (3 requests). */
export function createLuccaConnectionActivities(deps: { tenants: TenantDirectory }) {
  return {
    async checkLuccaConnection(tenantId: string): Promise<LuccaConnectionReport> {
      const lucca = deps.tenants.lucca(tenantId);
      const { result, requests } = await countRequests(async () => ({
        currentEmployees: await lucca.countUsers(),
        allEmployees: await lucca.countUsers({ formerEmployees: true }),
        extendedDataDefinitions: (await lucca.listExtensionDefinitions()).length,
      }));
      return { tenantId, ...result, luccaRequests: requests };
    },
  };
}
