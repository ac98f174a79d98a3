import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Runtime, Worker, type LogLevel, type Logger, type WorkerOptions } from '@temporalio/worker';
import { createStructuredLogger } from './observability/structured-logger';
import { startHealthServer } from './observability/health-server';
import { createActivities, type ActivityDependencies } from './activities';
import { IntegrationFailureInterceptor } from './activities/integration-failure-interceptor';
import { LivenessHeartbeatInterceptor } from './activities/activity-heartbeats';
import { PayloadBindingActivityInterceptor } from './activities/payload-binding-activity-interceptor';
import { ConfigError } from './config/load-config';
import { buildRuntime, type ConnectorsRuntime } from './runtime/connectors-runtime';
import { assertDeploymentReady, connectWorker, TemporalConnectionError } from './runtime/temporal-connection';
import { NotReadyError } from './setup/readiness-check';
import { prebuiltWorkflowBundlePath } from './runtime/workflow-bundle';
import { WORKFLOW_INTERCEPTOR_MODULES } from './runtime/workflow-interceptor-modules';
import { workflowsEntry } from './runtime/workflows-entry';
import type { ConnectorDefinition } from './connectors/connector-definition';
import { sweepLeftoverTransferFiles } from './activities/transfer-temp-files';
import { startRetentionSweeper } from './storage/retention-sweeper';
import { startLiveTenants } from './tenancy/live-tenants';
import { applyWorkerHeapPolicy } from './runtime/worker-heap-policy';
import { Client } from '@temporalio/client';
import { ensureChangeFeeds } from './freshness/ensure-change-feeds';
import { startFreshnessGauges } from './observability/freshness-gauges';

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
  /** Worker Deployment Versioning (deployment name + build id of the release); absent: unversioned. */
  deployment?: { name: string; buildId: string };
  /** The connectors it serves: the registry's (tests may add one); their workflows and activities. */
  connectors?: readonly ConnectorDefinition[];
}

/** One worker serves every tenant and connector; run more of them to scale out. */
export async function createConnectorsWorker(options: ConnectorsWorkerOptions): Promise<Worker> {
  // Before any work: V8 must not let garbage fill the heap to several times what is alive.
  applyWorkerHeapPolicy();
  // A worker killed mid-transfer (SIGKILL, OOM) leaves a plaintext file copy behind: remove it now.
  const swept = await sweepLeftoverTransferFiles();
  if (swept > 0) Runtime.instance().logger.warn('removed leftover file transfer copies of stopped workers', { count: swept });
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    dataConverter: options.dataConverter,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: workflowsEntry(options.connectors) }),
    activities: createActivities(options.dependencies, options.connectors),
    interceptors: {
      activity: [
        () => ({ inbound: new IntegrationFailureInterceptor() }),
        () => ({ inbound: new LivenessHeartbeatInterceptor() }),
        () => ({ inbound: new PayloadBindingActivityInterceptor() }),
      ],
      // Unencrypted inputs refused, run-failed alerts; a prebuilt bundle already has them built in (workflow-bundle.ts).
      ...(options.workflowBundle ? {} : { workflowModules: WORKFLOW_INTERCEPTOR_MODULES }),
    },
    // Activities mostly wait on rate-limited HTTP; a modest number in flight keeps memory bounded.
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities ?? Number(process.env.LUCCA_CONNECTORS_MAX_ACTIVITIES ?? 20),
    // On SIGTERM, in-flight activities get this long to finish before they are cancelled (they see it
    // through their heartbeats); whatever is cut short is retried by another worker.
    shutdownGraceTime: '30 seconds',
    // Heartbeats reach the server at least every 5 s (not 80 % of the timeout): a late one under load
    // must not make a live worker look dead (src/workflows/activity-heartbeat-timeout.ts).
    maxHeartbeatThrottleInterval: '5 seconds',
    // Each workflow type declares its behaviour (setWorkflowOptions in src/workflows): daily runs are
    // PINNED to the release that started them, long-lived orders and budgets AUTO_UPGRADE (patched()).
    ...(options.deployment
      ? {
          workerDeploymentOptions: {
            version: { deploymentName: options.deployment.name, buildId: options.deployment.buildId },
            useWorkerVersioning: true,
            defaultVersioningBehavior: 'PINNED' as const,
          },
        }
      : {}),
  });
}

/** The worker of a composed runtime: its tenants, store and data converter. */
export function createRuntimeWorker(
  runtime: ConnectorsRuntime,
  connection: NativeConnection,
  options: Partial<Pick<ConnectorsWorkerOptions, 'maxConcurrentActivities' | 'workflowBundle' | 'deployment' | 'connectors'>> & {
    now?: () => Date;
  } = {},
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
    ...(options.connectors ? { connectors: options.connectors } : {}),
    ...((options.deployment ?? runtime.settings.deployment) ? { deployment: options.deployment ?? runtime.settings.deployment } : {}),
  });
}

/** Artifacts past the retention period are purged on a timer; a failed sweep is retried at the next one. */
function startArtifactRetention(runtime: ConnectorsRuntime, log: Logger) {
  return startRetentionSweeper({
    store: runtime.artifacts,
    retentionDays: runtime.settings.storage.retentionDays,
    onSweep: (removed) => {
      if (removed > 0)
        log.info('artifact retention: purged expired artifacts', { removed, retentionDays: runtime.settings.storage.retentionDays });
    },
    onError: (err) => {
      log.warn('artifact retention: purge failed (retried at the next sweep)', { error: err.message });
    },
  });
}

/** Change feeds (docs/freshness.md): started if missing at every start (and config reload); their health as gauges. */
function startChangeFeeds(client: Client, runtime: ConnectorsRuntime, taskQueue: string, log: Logger) {
  const tenants = runtime.tenants;
  // Not awaited: a failure must not stop the worker; the next config reload (or `schedules apply`) ensures them.
  ensureChangeFeeds(client, tenants.loaded.config, taskQueue).catch((err: Error) => {
    log.warn('change feeds not ensured yet (next config reload or `schedules apply`)', { error: err.message });
  });
  const onError = (err: Error) => {
    log.debug('freshness gauges not refreshed', { error: err.message });
  };
  return startFreshnessGauges({ client, config: () => tenants.loaded.config, meter: Runtime.instance().metricMeter, onError });
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
  await assertDeploymentReady(runtime, connection, { usesStore: true });
  const sweeper = startArtifactRetention(runtime, log);
  const bundlePath = prebuiltWorkflowBundlePath();
  const worker = await createRuntimeWorker(runtime, connection, bundlePath ? { workflowBundle: { codePath: bundlePath } } : {});
  const tenants = runtime.tenants;
  const health = await startHealthServer({
    port: Number(process.env.LUCCA_CONNECTORS_HEALTH_PORT ?? 8081),
    state: () => worker.getState(),
  });
  // Tenants added, changed or removed in the config file take effect without a restart.
  const liveTenants = startLiveTenants({
    directory: tenants,
    connection,
    namespace,
    taskQueue,
    dataConverter: runtime.dataConverter,
    log,
    checks: runtime.artifacts,
  });
  const gauges = startChangeFeeds(new Client({ connection, namespace, dataConverter: runtime.dataConverter }), runtime, taskQueue, log);
  // Announced only once the config is watched: an edit made after this line is always seen.
  log.info('worker started', {
    tenants: tenants.tenantIds.length,
    workflows: bundlePath ? 'prebuilt bundle' : 'bundled at start-up',
    taskQueue,
    address,
    namespace,
    health: `${health.url}/healthz`,
    metrics: `http://${metricsAddress}/metrics`,
    deployment: runtime.settings.deployment ?? 'unversioned',
  });
  // The SDK runtime turns SIGINT/SIGTERM into a graceful shutdown: polling stops, in-flight tasks
  // finish (activities see cancellation through their heartbeats), then run() resolves.
  await worker.run();
  liveTenants.stop();
  gauges.stop();
  await health.stop();
  sweeper.stop();
  await connection.close();
  await runtime.close();
  log.info('worker stopped');
}

if (require.main === module) {
  main().catch((err) => {
    const oneLiner = err instanceof ConfigError || err instanceof NotReadyError || err instanceof TemporalConnectionError;
    console.error(oneLiner ? (err as Error).message : `[worker] failed: ${(err as Error).message}`);
    process.exit(1);
  });
}
