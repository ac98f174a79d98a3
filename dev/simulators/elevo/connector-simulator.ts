import type { ConnectorSimulator } from '../connector-simulator';
import { sandboxTenantOf } from '../sandbox-tenant-of';
import { ElevoSandbox } from './elevo-sandbox';

/** The Elevo simulator behind the elevo-user-sync connector. */
export const elevoSimulator: ConnectorSimulator = {
  port: 4200,
  start: ({ port }) => ElevoSandbox.start({ port }),
  addAccount(simulator, tenant, { secret }) {
    const id = tenant.elevo && sandboxTenantOf(simulator.url, tenant.elevo.baseUrl);
    if (!tenant.elevo || !id) return false;
    (simulator as ElevoSandbox).addTenant(id, secret(tenant.elevo.token));
    return true;
  },
};
