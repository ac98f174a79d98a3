import type { ConnectorSimulator } from '../connector-simulator';
import { sandboxTenantOf } from '../sandbox-tenant-of';
import { AequivalentSandbox } from './aequivalent-sandbox';
import { addSandboxAccountsFromConfig } from './sandbox-accounts-from-config';

/** The Aequivalent simulator behind the aequivalent-screening connector. */
export const aequivalentSimulator: ConnectorSimulator = {
  port: 4300,
  async start({ port, loaded, webhookUrlFor }) {
    // Dossiers advance on their own clock so a local run shows the whole lifecycle in minutes.
    const sandbox = await AequivalentSandbox.start({
      port,
      lifecycle: { mode: 'auto', stepMs: 20_000, expireAfterMs: 6 * 7 * 24 * 3600 * 1000 },
    });
    addSandboxAccountsFromConfig(sandbox, loaded.config, loaded.baseDir, webhookUrlFor);
    return sandbox;
  },
  addAccount(simulator, tenant, { secret, webhookUrlFor }) {
    const section = tenant.aequivalent;
    const sandbox = simulator as AequivalentSandbox;
    const id = section && sandboxTenantOf(sandbox.url, section.baseUrl);
    if (!section || !id || sandbox.hasTenant(id)) return false;
    sandbox.addTenant(id, {
      apiKey: secret(section.apiKey),
      webhookSecret: secret(section.webhookSecret),
      webhookUrl: webhookUrlFor(tenant.id),
    });
    return true;
  },
};
