import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Runtime, Worker, type LogLevel, type WorkerOptions } from '@temporalio/worker';
import { createStructuredLogger } from './observability/structured-logger';
import { startHealthServer } from './observability/health-server';
import { codecFromConfig, createDataConverter } from './codec/data-converter';
import { createActivities, type ActivityDependencies } from './activities';
import { IntegrationFailureInterceptor } from './activities/integration-failure-interceptor';
import { ConfigError, loadConfig } from './config/load-config';
import { TenantDirectory } from './config/tenant-directory';
import { sharedLuccaBudgetOptions } from './config/shared-lucca-budget';
import { runtimeSettings } from './config/runtime-settings';
import { ArtifactStore } from './storage/artifact-store';

export interface ConnectorsWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dependencies: ActivityDependencies;
  /** Seals every payload (employee data) before it reaches the Temporal server. */
  dataConverter: DataConverter;
  /** Activities in flight per worker (default 20; LUCCA_CONNECTORS_MAX_ACTIVITIES for the process). */
  maxConcurrentActivities?: number;
  /** Prebuilt bundle (production) instead of bundling workflows at start-up. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

/** Workflow interceptor modules: pass them to `bundleWorkflowCode` too when prebuilding a bundle. */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('./workflows/alert-on-failure-interceptor')];

/** One worker serves every tenant and connector; run more of them to scale out. */
export async function createConnectorsWorker(options: ConnectorsWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    dataConverter: options.dataConverter,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: require.resolve('./workflows') }),
    activities: createActivities(options.dependencies),
    interceptors: {
      activity: [() => ({ inbound: new IntegrationFailureInterceptor() })],
      // A prebuilt bundle already contains them (bundleWorkflowCode with workflowInterceptorModules).
      ...(options.workflowBundle ? {} : { workflowModules: WORKFLOW_INTERCEPTOR_MODULES }),
    },
    // Activities mostly wait on rate-limited HTTP; a modest number in flight keeps memory bounded.
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities ?? Number(process.env.LUCCA_CONNECTORS_MAX_ACTIVITIES ?? 20),
    // On SIGTERM, in-flight activities get this long to finish before they are cancelled (they see it
    // through their heartbeats); whatever is cut short is retried by another worker.
    shutdownGraceTime: '30 seconds',
  });
}

async function main(): Promise<void> {
  // Before any connection: logs as JSON lines, runtime metrics for Prometheus.
  const metricsAddress = process.env.LUCCA_CONNECTORS_METRICS_ADDRESS ?? '0.0.0.0:9464';
  Runtime.install({
    logger: createStructuredLogger((process.env.LUCCA_CONNECTORS_LOG_LEVEL as LogLevel | undefined) ?? 'INFO'),
    telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress } } },
  });
  const log = Runtime.instance().logger;
  const loaded = loadConfig();
  const settings = runtimeSettings(loaded.config);
  const tenants = new TenantDirectory(loaded, process.env, sharedLuccaBudgetOptions(settings.taskQueue));
  const { temporalAddress: address, namespace, taskQueue } = settings;
  const connection = await NativeConnection.connect({ address });
  const codec = codecFromConfig(loaded.config, (ref) => tenants.secret(ref));
  const dataConverter = createDataConverter(codec);
  const artifacts = new ArtifactStore(settings.dataDir, codec.artifactCipher);
  const worker = await createConnectorsWorker({ connection, namespace, taskQueue, dataConverter, dependencies: { tenants, artifacts } });
  const health = await startHealthServer({ port: Number(process.env.LUCCA_CONNECTORS_HEALTH_PORT ?? 8081), state: () => worker.getState() });
  log.info('worker started', { tenants: tenants.tenantIds.length, taskQueue, address, namespace, health: `${health.url}/healthz`, metrics: `http://${metricsAddress}/metrics` });
  // The SDK runtime turns SIGINT/SIGTERM into a graceful shutdown: polling stops, in-flight tasks
  // finish (activities see cancellation through their heartbeats), then run() resolves.
  await worker.run();
  await health.stop();
  await connection.close();
  log.info('worker stopped');
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof ConfigError ? err.message : `[worker] failed: ${(err as Error).message}`);
    process.exit(1);
  });
}
