import type { TenantDirectory } from '../../../config/tenant-directory';
import type { AequivalentConnectorConfig } from '../config-section';
import { AequivalentClient } from './client';

/** The tenant's Aequivalent client (one per tenant, built from its `aequivalent` section on first use). */
export function aequivalentClientOf(tenants: TenantDirectory, tenantId: string): AequivalentClient {
  return tenants.connectorClient(
    tenantId,
    'aequivalent',
    (section: AequivalentConnectorConfig) =>
      new AequivalentClient({ tenantId, baseUrl: section.baseUrl, apiKey: tenants.secret(section.apiKey) }),
  );
}
