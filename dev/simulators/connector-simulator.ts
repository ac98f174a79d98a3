import type { TenantConfig } from '../../src/config/config-schema';
import type { LoadedConfig } from '../../src/config/load-config';

/** A started simulator of a connector's target system (sandbox, `npm start`, tests). */
export interface RunningSimulator {
  readonly url: string;
  stop(): Promise<void>;
}

export interface SimulatorContext {
  port: number;
  loaded: LoadedConfig;
  /** Where the simulator sends its webhooks for a tenant, when a receiver runs. */
  webhookUrlFor?: (tenantId: string) => string;
}

export interface SandboxAccountContext {
  secret: (reference: string) => string;
  webhookUrlFor: (tenantId: string) => string;
}

/** The development side of a connector: its target system's simulator. The product never loads these. */
export interface ConnectorSimulator {
  /** Port of the simulator in the shipped sandbox config (config/sandbox.yaml). */
  readonly port: number;
  start(context: SimulatorContext): Promise<RunningSimulator>;
  /** `npm start`: gives a tenant added while running an account on the simulator (secrets from the config). */
  addAccount?(simulator: RunningSimulator, tenant: TenantConfig, context: SandboxAccountContext): boolean;
}
