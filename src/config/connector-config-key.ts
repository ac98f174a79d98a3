import type { TenantConfig } from './config-schema';

/** Keys of a tenant's connector sections in the config (each connector adds its own schema section). */
export type ConnectorConfigKey = Exclude<keyof TenantConfig, 'id' | 'timeZone' | 'lucca' | 'enabled' | 'freshness'>;
