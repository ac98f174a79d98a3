import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { codecFromConfig, createDataConverter } from './codec/data-converter';
import { createActivities, type ActivityDependencies } from './activities';
import { IntegrationFailureInterceptor } from './activities/integration-failure-interceptor';
import { ConfigError, loadConfig } from './config/load-config';
import { TenantDirectory } from './config/tenant-directory';
import { runtimeSettings } from './config/runtime-settings';
import { ArtifactStore } from './storage/artifact-store';

export interface ConnectorsWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dependencies: ActivityDependencies;
  /** Seals every payload (employee data) before it reaches the Temporal server. */
  dataConverter: DataConverter;
  /** Prebuilt bundle (production) instead of bundling workflows at start-up. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

/** One worker serves every tenant and connector; run more of them to scale out. */
export async function createConnectorsWorker(options: ConnectorsWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    dataConverter: options.dataConverter,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: require.resolve('./workflows') }),
    activities: createActivities(options.dependencies),
    interceptors: { activity: [() => ({ inbound: new IntegrationFailureInterceptor() })] },
    // Activities mostly wait on rate-limited HTTP; a modest number in flight keeps memory bounded.
    maxConcurrentActivityTaskExecutions: 20,
  });
}

async function main(): Promise<void> {
  const loaded = loadConfig();
  const tenants = new TenantDirectory(loaded);
  const settings = runtimeSettings(loaded.config);
  const { temporalAddress: address, namespace, taskQueue } = settings;
  const connection = await NativeConnection.connect({ address });
  const codec = codecFromConfig(loaded.config, (ref) => tenants.secret(ref));
  const dataConverter = createDataConverter(codec);
  const artifacts = new ArtifactStore(settings.dataDir, codec.artifactCipher);
  const worker = await createConnectorsWorker({ connection, namespace, taskQueue, dataConverter, dependencies: { tenants, artifacts } });
  console.log(`[worker] ${tenants.tenantIds.length} tenant(s), task queue "${taskQueue}" on ${address}/${namespace}; SIGTERM or Ctrl-C stops after in-flight tasks`);
  // The SDK runtime turns SIGINT/SIGTERM into a graceful shutdown: no new tasks, in-flight ones finish.
  await worker.run();
  await connection.close();
  console.log('[worker] stopped');
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof ConfigError ? err.message : `[worker] failed: ${(err as Error).message}`);
    process.exit(1);
  });
}
