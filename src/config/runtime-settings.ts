import { resolve } from 'node:path';
import type { ConnectorsConfig } from './config-schema';
import type { SecretReference } from './secret-reference';

/**
 * Settings that depend on where a process runs rather than on the tenants: environment variables
 * override the config file so one file serves a laptop, Docker Compose and production.
 */
export interface RuntimeSettings {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  /** The filesystem store's directory (with `storage.kind: filesystem`: one machine only). */
  dataDir: string;
  /** Where artifacts live; every process (workers, CLI, webhook receiver) must use the same. */
  storage: StorageSettings;
  /**
   * Worker Deployment Versioning: on when the release sets LUCCA_CONNECTORS_BUILD_ID (the image tag
   * or commit), or the Worker Controller sets TEMPORAL_WORKER_BUILD_ID and TEMPORAL_DEPLOYMENT_NAME.
   * Unset (local runs, tests) the worker is unversioned.
   */
  deployment?: { name: string; buildId: string };
}

export type StorageSettings =
  { kind: 'filesystem'; dir: string; retentionDays: number } | { kind: 'postgres'; url: SecretReference; retentionDays: number };

export const PROJECT_ROOT = resolve(__dirname, '../..');

/** `baseDir`: the config file's directory, against which a relative `storage.dir` is resolved. */
export function runtimeSettings(
  config: ConnectorsConfig,
  env: NodeJS.ProcessEnv = process.env,
  baseDir: string = PROJECT_ROOT,
): RuntimeSettings {
  const storage = config.storage;
  const dataDir = resolve(
    env.LUCCA_CONNECTORS_DATA_DIR ||
      (storage.kind === 'filesystem' && storage.dir ? resolve(baseDir, storage.dir) : resolve(PROJECT_ROOT, '.local-data', 'artifacts')),
  );
  return {
    temporalAddress: env.LUCCA_CONNECTORS_TEMPORAL_ADDRESS || config.temporal.address,
    namespace: env.LUCCA_CONNECTORS_TEMPORAL_NAMESPACE || config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    dataDir,
    storage: storage.kind === 'postgres' ? storage : { kind: 'filesystem', dir: dataDir, retentionDays: storage.retentionDays },
    ...deploymentOf(config, env),
  };
}

/** The release's build id; under Temporal's Worker Controller (Kubernetes) its own variables name the version. */
function deploymentOf(config: ConnectorsConfig, env: NodeJS.ProcessEnv): Pick<RuntimeSettings, 'deployment'> {
  const buildId = env.LUCCA_CONNECTORS_BUILD_ID || env.TEMPORAL_WORKER_BUILD_ID;
  if (!buildId) return {};
  return { deployment: { name: env.TEMPORAL_DEPLOYMENT_NAME || config.temporal.deploymentName, buildId } };
}
