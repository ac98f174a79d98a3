import { resolve } from 'node:path';
import type { ConnectorsConfig } from './config-schema';

/**
 * Settings that depend on where a process runs rather than on the tenants: environment variables
 * override the config file so one file serves a laptop, Docker Compose and production.
 */
export interface RuntimeSettings {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  /** Claim-check artifacts (plans, reports). Workers and the CLI must share it. */
  dataDir: string;
}

export const PROJECT_ROOT = resolve(__dirname, '../..');

export function runtimeSettings(config: ConnectorsConfig, env: NodeJS.ProcessEnv = process.env): RuntimeSettings {
  return {
    temporalAddress: env.LUCCA_CONNECTORS_TEMPORAL_ADDRESS || config.temporal.address,
    namespace: env.LUCCA_CONNECTORS_TEMPORAL_NAMESPACE || config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    dataDir: resolve(env.LUCCA_CONNECTORS_DATA_DIR || resolve(PROJECT_ROOT, '.local-data', 'artifacts')),
  };
}
