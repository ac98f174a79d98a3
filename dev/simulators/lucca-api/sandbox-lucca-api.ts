import type { LoadedConfig } from '../../../src/config/load-config';
import { resolveSecret } from '../../../src/config/secret-reference';
import type { LuccaSandbox } from '../lucca/lucca-sandbox';
import { LuccaApiSandbox } from './lucca-api-sandbox';

/** Port of the newer Lucca API simulator next to the v3 one (4100) in the embedded default. */
export const LUCCA_API_SANDBOX_PORT = 4101;

/**
 * The newer Lucca API for the sandbox tenants whose config has `lucca.events` (their OAuth client
 * is the one the config references), or undefined when none has: the default sandbox polls v3.
 */
export async function startSandboxLuccaApi(lucca: LuccaSandbox, loaded: LoadedConfig, port: number): Promise<LuccaApiSandbox | undefined> {
  const tenants = loaded.config.tenants.filter((t) => t.lucca.events && lucca.tenantIds().includes(t.id));
  if (tenants.length === 0) return undefined;
  const api = await LuccaApiSandbox.start({ lucca, port });
  for (const tenant of tenants) {
    const events = tenant.lucca.events!;
    api.enableTenant(tenant.id, {
      clientId: resolveSecret(events.clientId, loaded.baseDir),
      clientSecret: resolveSecret(events.clientSecret, loaded.baseDir),
    });
  }
  return api;
}
