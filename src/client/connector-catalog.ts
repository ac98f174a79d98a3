import type { TenantConfig } from '../config/config-schema';
import type { ConnectorName } from '../shared/search-attributes';

/** The connectors a tenant can run, with their workflow type and schedule settings. */
export interface ConnectorEntry {
  name: ConnectorName;
  workflowType: string;
  schedule: { enabled: boolean; at: { hour: number; minute: number }; jitterMinutes: number };
}

export function connectorsOf(tenant: TenantConfig): ConnectorEntry[] {
  const out: ConnectorEntry[] = [];
  if (tenant.elevo?.enabled) out.push({ name: 'elevo-user-sync', workflowType: 'elevoUserSync', schedule: tenant.elevo.schedule });
  if (tenant.aequivalent?.enabled) out.push({ name: 'aequivalent-screening', workflowType: 'screeningIntake', schedule: tenant.aequivalent.schedule });
  return out;
}

export function connectorByName(tenant: TenantConfig, name: string): ConnectorEntry {
  const entry = connectorsOf(tenant).find((c) => c.name === name);
  if (!entry) throw new Error(`connector "${name}" is not enabled for tenant "${tenant.id}" (enabled: ${connectorsOf(tenant).map((c) => c.name).join(', ') || 'none'})`);
  return entry;
}
