import { resolve } from 'node:path';
import type { TenantConfig } from '../../../src/config/config-schema';
import { loadConfig } from '../../../src/config/load-config';
import { resolveSecret } from '../../../src/config/secret-reference';
import { AequivalentSandbox, addSandboxAccountsFromConfig } from '../../../dev/simulators/aequivalent';
import { ElevoSandbox } from '../../../dev/simulators/elevo';
import { generateSandboxTenant, LuccaSandbox, sandboxApiKeyFor } from '../../../dev/simulators/lucca';

/** The three simulators on free ports, the sandbox tenant `acme` regenerated per test, its config pointed at them. */
export interface OnboardingSandbox {
  lucca: LuccaSandbox;
  elevo: ElevoSandbox;
  aequivalent: AequivalentSandbox;
  tenant(): TenantConfig;
  secret: (reference: string) => string;
  /** The acme Lucca API key (a sandbox-only value). */
  luccaKey: string;
  resetAcme(): void;
  stop(): Promise<void>;
}

export const SANDBOX_CONFIG = resolve(__dirname, '../../../config/sandbox.yaml');

export async function startOnboardingSandbox(): Promise<OnboardingSandbox> {
  const loaded = loadConfig(SANDBOX_CONFIG);
  // Unlimited rate: several checks per test file must not wait for Lucca's minute window.
  const lucca = await LuccaSandbox.start({ requestsPerMinute: 0 });
  const elevo = await ElevoSandbox.start();
  const aequivalent = await AequivalentSandbox.start();
  addSandboxAccountsFromConfig(aequivalent, loaded.config, loaded.baseDir);
  const base = loaded.config.tenants.find((t) => t.id === 'acme')!;
  const sandbox: OnboardingSandbox = {
    lucca,
    elevo,
    aequivalent,
    luccaKey: sandboxApiKeyFor('acme'),
    tenant: () => ({
      ...base,
      lucca: { ...base.lucca, baseUrl: lucca.baseUrlFor('acme') },
      elevo: { ...base.elevo!, baseUrl: elevo.baseUrlFor('acme') },
      aequivalent: { ...base.aequivalent!, baseUrl: aequivalent.baseUrlFor('acme') },
    }),
    secret: (reference) => resolveSecret(reference, loaded.baseDir),
    resetAcme: () => {
      lucca.addTenant('acme', generateSandboxTenant('acme'));
      lucca.resetStats();
    },
    stop: async () => {
      await Promise.allSettled([lucca.stop(), elevo.stop(), aequivalent.stop()]);
    },
  };
  return sandbox;
}
