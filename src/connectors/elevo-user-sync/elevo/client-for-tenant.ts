import type { TenantDirectory } from '../../../config/tenant-directory';
import type { ElevoConnectorConfig } from '../config-section';
import { ElevoClient } from './client';

/** The tenant's Elevo client (one per tenant, built from its `elevo` section on first use). */
export function elevoClientOf(tenants: TenantDirectory, tenantId: string): ElevoClient {
  return tenants.connectorClient(
    tenantId,
    'elevo',
    (section: ElevoConnectorConfig) => new ElevoClient({ tenantId, baseUrl: section.baseUrl, token: tenants.secret(section.token) }),
  );
}
