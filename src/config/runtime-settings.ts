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
  /**
   * Worker Deployment Versioning: on when the release sets LUCCA_CONNECTORS_BUILD_ID (the image tag
   * or commit). Unset (local runs, tests) the worker is unversioned.
   */
  deployment?: { name: string; buildId: string };
}

export const PROJECT_ROOT = resolve(__dirname, '../..');

export function runtimeSettings(config: ConnectorsConfig, env: NodeJS.ProcessEnv = process.env): RuntimeSettings {
  return {
    temporalAddress: env.LUCCA_CONNECTORS_TEMPORAL_ADDRESS || config.temporal.address,
    namespace: env.LUCCA_CONNECTORS_TEMPORAL_NAMESPACE || config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    dataDir: resolve(env.LUCCA_CONNECTORS_DATA_DIR || resolve(PROJECT_ROOT, '.local-data', 'artifacts')),
    ...(env.LUCCA_CONNECTORS_BUILD_ID ? { deployment: { name: config.temporal.deploymentName, buildId: env.LUCCA_CONNECTORS_BUILD_ID } } : {}),
  };
}
