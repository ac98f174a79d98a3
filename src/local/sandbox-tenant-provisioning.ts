import { createHash } from 'node:crypto';
import type { TenantConfig } from '../config/config-schema';
import type { RunningSimulators } from '../sandbox/start-sandbox';
import { generateLuccaTenant } from '../sandbox/lucca';

/** The tenant id a simulator serves at `baseUrl`, when the URL points at it (`<sim url>/<tenant>`). */
function simulatedTenant(simulatorUrl: string, baseUrl: string): string | undefined {
  const prefix = `${simulatorUrl.replace(/\/+$/, '')}/`;
  return baseUrl.startsWith(prefix) ? baseUrl.slice(prefix.length).split('/')[0] : undefined;
}

/**
 * `npm start` only: a tenant added to the config whose URLs point at the local simulators gets a
 * generated French company (60 employees, seeded by its id) and accounts with the secrets the
 * config references, so it can be checked, scheduled and synced like the shipped ones.
 */
export function provisionSandboxTenant(sims: RunningSimulators, tenant: TenantConfig, secret: (reference: string) => string, webhookUrlFor: (tenantId: string) => string): string[] {
  const provisioned: string[] = [];
  const luccaId = simulatedTenant(sims.lucca.url, tenant.lucca.baseUrl);
  if (luccaId && !sims.lucca.tenantIds().includes(luccaId)) {
    const seed = createHash('sha256').update(luccaId).digest().readUInt32BE(0);
    sims.lucca.addTenant(luccaId, generateLuccaTenant({ tenantId: luccaId, apiKey: secret(tenant.lucca.apiKey), employees: 60, seed }));
    provisioned.push(`Lucca ${luccaId}`);
  }
  const elevoId = tenant.elevo && simulatedTenant(sims.elevo.url, tenant.elevo.baseUrl);
  if (elevoId && tenant.elevo) {
    sims.elevo.addTenant(elevoId, secret(tenant.elevo.token));
    provisioned.push(`Elevo ${elevoId}`);
  }
  const aeqId = tenant.aequivalent && simulatedTenant(sims.aequivalent.url, tenant.aequivalent.baseUrl);
  if (aeqId && tenant.aequivalent) {
    try {
      sims.aequivalent.addTenant(aeqId, { apiKey: secret(tenant.aequivalent.apiKey), webhookSecret: secret(tenant.aequivalent.webhookSecret), webhookUrl: webhookUrlFor(tenant.id) });
      provisioned.push(`Aequivalent ${aeqId}`);
    } catch {
      // already there (re-added tenant): keep its dossiers
    }
  }
  return provisioned;
}
