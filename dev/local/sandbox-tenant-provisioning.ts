import { createHash } from 'node:crypto';
import type { TenantConfig } from '../../src/config/config-schema';
import type { SandboxAccountContext } from '../simulators/connector-simulator';
import { CONNECTOR_SIMULATORS } from '../simulators/connector-simulators';
import { sandboxTenantOf } from '../simulators/sandbox-tenant-of';
import { CONNECTORS } from '../../src/connectors/registry';
import type { RunningSimulators } from '../start-sandbox';
import { generateLuccaTenant } from '../simulators/lucca';

/**
 * `npm start` only: a tenant added to the config whose URLs point at the local simulators gets a
 * generated French company (60 employees, seeded by its id) and accounts on each connector's
 * simulator with the secrets the config references, so it can be checked, scheduled and synced
 * like the shipped ones.
 */
export function provisionSandboxTenant(sims: RunningSimulators, tenant: TenantConfig, context: SandboxAccountContext): string[] {
  const provisioned: string[] = [];
  const luccaId = sandboxTenantOf(sims.lucca.url, tenant.lucca.baseUrl);
  if (luccaId && !sims.lucca.tenantIds().includes(luccaId)) {
    const seed = createHash('sha256').update(luccaId).digest().readUInt32BE(0);
    sims.lucca.addTenant(
      luccaId,
      generateLuccaTenant({ tenantId: luccaId, apiKey: context.secret(tenant.lucca.apiKey), employees: 60, seed }),
    );
    provisioned.push('Lucca');
  }
  for (const connector of CONNECTORS) {
    const simulator = sims.targets.get(connector.name);
    if (simulator && CONNECTOR_SIMULATORS[connector.name].addAccount?.(simulator, tenant, context)) provisioned.push(connector.name);
  }
  return provisioned;
}
