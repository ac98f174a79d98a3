import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Runtime, Worker, type LogLevel, type WorkerOptions } from '@temporalio/worker';
import { createStructuredLogger } from './observability/structured-logger';
import { startHealthServer } from './observability/health-server';
import { createActivities, type ActivityDependencies } from './activities';
import { IntegrationFailureInterceptor } from './activities/integration-failure-interceptor';
import { ConfigError } from './config/load-config';
import { buildRuntime, type ConnectorsRuntime } from './runtime/connectors-runtime';
import { connectWorker } from './runtime/temporal-connection';

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

/** The worker of a composed runtime: its tenants, store and data converter. */
export function createRuntimeWorker(
  runtime: ConnectorsRuntime,
  connection: NativeConnection,
  options: Partial<Pick<ConnectorsWorkerOptions, 'maxConcurrentActivities' | 'workflowBundle'>> & { now?: () => Date } = {},
): Promise<Worker> {
  const { namespace, taskQueue } = runtime.settings;
  return createConnectorsWorker({
    connection,
    namespace,
    taskQueue,
    dataConverter: runtime.dataConverter,
    dependencies: { tenants: runtime.tenants, artifacts: runtime.artifacts, ...(options.now ? { now: options.now } : {}) },
    ...(options.maxConcurrentActivities ? { maxConcurrentActivities: options.maxConcurrentActivities } : {}),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : {}),
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
  const runtime = buildRuntime({ sharedLuccaBudget: true });
  const { temporalAddress: address, namespace, taskQueue } = runtime.settings;
  const connection = await connectWorker(runtime);
  const worker = await createRuntimeWorker(runtime, connection);
  const tenants = runtime.tenants;
  const health = await startHealthServer({ port: Number(process.env.LUCCA_CONNECTORS_HEALTH_PORT ?? 8081), state: () => worker.getState() });
  log.info('worker started', { tenants: tenants.tenantIds.length, taskQueue, address, namespace, health: `${health.url}/healthz`, metrics: `http://${metricsAddress}/metrics` });
  // The SDK runtime turns SIGINT/SIGTERM into a graceful shutdown: polling stops, in-flight tasks
  // finish (activities see cancellation through their heartbeats), then run() resolves.
  await worker.run();
  await health.stop();
  await connection.close();
  await runtime.close();
  log.info('worker stopped');
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof ConfigError ? err.message : `[worker] failed: ${(err as Error).message}`);
    process.exit(1);
  });
}
