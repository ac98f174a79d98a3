import { connectorSectionOf, type TenantConfig } from '../config/config-schema';
import type { ConnectorSectionBase } from '../config/schema-parts';
import { aequivalentScreeningConnector } from './aequivalent-screening/definition';
import type { ConnectorDefinition } from './connector-definition';
import { elevoUserSyncConnector } from './elevo-user-sync/definition';

/**
 * Every connector, one line each. The worker's activities, the CLI, the schedules, `npm start`, the
 * sandbox and the search-attribute values all derive from this list.
 */
export const CONNECTORS = [elevoUserSyncConnector, aequivalentScreeningConnector] as const;

export type RegisteredConnector = (typeof CONNECTORS)[number];
export type ConnectorName = RegisteredConnector['name'];
export const CONNECTOR_NAMES: readonly ConnectorName[] = CONNECTORS.map((c) => c.name);

export interface ScheduleSettings {
  enabled: boolean;
  at: { hour: number; minute: number };
  jitterMinutes: number;
}

/** A connector enabled for a tenant, with that tenant's schedule settings. */
export interface EnabledConnector {
  definition: ConnectorDefinition;
  name: string;
  schedule: ScheduleSettings;
}

/** The connectors enabled for a tenant (`connectors`: the registry's; a test may add its own). */
export function connectorsOf(tenant: TenantConfig, connectors: readonly ConnectorDefinition[] = CONNECTORS): EnabledConnector[] {
  return connectors.flatMap((definition) => {
    const section = connectorSectionOf(tenant, definition.configKey) as ConnectorSectionBase | undefined;
    return section?.enabled ? [{ definition, name: definition.name, schedule: section.schedule }] : [];
  });
}

export function connectorByName(
  tenant: TenantConfig,
  name: string,
  connectors: readonly ConnectorDefinition[] = CONNECTORS,
): EnabledConnector {
  const entry = connectorsOf(tenant, connectors).find((c) => c.name === name);
  if (!entry)
    throw new Error(
      `connector "${name}" is not enabled for tenant "${tenant.id}" (enabled: ${
        connectorsOf(tenant, connectors)
          .map((c) => c.name)
          .join(', ') || 'none'
      })`,
    );
  return entry;
}

/** The connector whose scheduled/manual runs have this workflow type (undefined for orders, budgets, checks). */
export function connectorByWorkflowType(workflowType: string): ConnectorDefinition | undefined {
  return CONNECTORS.find((c) => c.workflowType === workflowType);
}
