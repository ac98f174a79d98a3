import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '../../repo-root';
import { generateLuccaTenant } from './french-tenant-generator';
import type { LuccaSandbox } from './lucca-sandbox';
import type { LuccaDialect } from './lucca-dialect';
import type { LuccaTenantStore } from './lucca-tenant-store';

/**
 * The Lucca side of the embedded sandbox, matching config/sandbox.yaml (tenants `acme` and
 * `globex`). API keys are read from the sandbox secret files the config references, never copied.
 */
export interface SandboxTenantSpec {
  tenantId: string;
  employees: number;
  seed: number;
  /** Relative to the repository root. */
  apiKeyFile: string;
  /** globex emits `managerID`-style casing so both variants are exercised end to end. */
  idCasing: 'doc' | 'upper';
}

export const SANDBOX_TENANTS: readonly SandboxTenantSpec[] = Object.freeze([
  { tenantId: 'acme', employees: 250, seed: 20261120, apiKeyFile: 'config/sandbox-secrets/acme-lucca.key', idCasing: 'doc' },
  { tenantId: 'globex', employees: 120, seed: 4242, apiKeyFile: 'config/sandbox-secrets/globex-lucca.key', idCasing: 'upper' },
]);

const REPO_ROOT = repoRoot();

/** Reads the sandbox Lucca API key of a tenant from its secret file. */
export function sandboxApiKeyFor(tenantId: string, root: string = REPO_ROOT): string {
  const spec = SANDBOX_TENANTS.find((t) => t.tenantId === tenantId);
  if (!spec) throw new Error(`No sandbox tenant ${tenantId}`);
  return readFileSync(resolve(root, spec.apiKeyFile), 'utf8').trim();
}

/** Generates the store of one sandbox tenant (optionally with another size, e.g. for benchmarks). */
export function generateSandboxTenant(
  tenantId: string,
  overrides: { employees?: number; today?: string; now?: () => Date; dialect?: LuccaDialect } = {},
): LuccaTenantStore {
  const spec = SANDBOX_TENANTS.find((t) => t.tenantId === tenantId);
  if (!spec) throw new Error(`No sandbox tenant ${tenantId}`);
  return generateLuccaTenant({
    tenantId: spec.tenantId,
    apiKey: sandboxApiKeyFor(tenantId),
    employees: overrides.employees ?? spec.employees,
    seed: spec.seed,
    idCasing: overrides.dialect?.idCasing ?? spec.idCasing,
    ...(overrides.dialect ? { dialect: overrides.dialect } : {}),
    ...(overrides.today ? { today: overrides.today } : {}),
    ...(overrides.now ? { now: overrides.now } : {}),
  });
}

/** Adds every sandbox tenant to a running Lucca sandbox. */
export function addSandboxTenants(sandbox: LuccaSandbox): void {
  for (const spec of SANDBOX_TENANTS) sandbox.addTenant(spec.tenantId, generateSandboxTenant(spec.tenantId));
}
