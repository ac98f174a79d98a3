import type { ConnectorsConfig } from '../../../src/config/config-schema';
import { resolveSecret } from '../../../src/config/secret-reference';
import type { AequivalentSandbox } from './aequivalent-sandbox';

/**
 * Registers one sandbox account per tenant that has an `aequivalent` section, with the secrets the
 * config references (so the sandbox and the worker agree without copying secret values anywhere).
 * `webhookUrlFor` gives the receiver URL of each tenant, when a receiver runs.
 */
export function addSandboxAccountsFromConfig(
  sandbox: AequivalentSandbox,
  config: ConnectorsConfig,
  configDir: string,
  webhookUrlFor?: (tenantId: string) => string | undefined,
): string[] {
  const added: string[] = [];
  for (const tenant of config.tenants) {
    if (!tenant.aequivalent) continue;
    sandbox.addTenant(tenant.id, {
      apiKey: resolveSecret(tenant.aequivalent.apiKey, configDir),
      webhookSecret: resolveSecret(tenant.aequivalent.webhookSecret, configDir),
      webhookUrl: webhookUrlFor?.(tenant.id),
    });
    added.push(tenant.id);
  }
  return added;
}
