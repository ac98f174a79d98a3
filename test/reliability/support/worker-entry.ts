import { NativeConnection, Runtime } from '@temporalio/worker';
import { createStructuredLogger } from '../../../src/observability/structured-logger';
import { codecFromConfig, createDataConverter } from '../../../src/codec/data-converter';
import { loadConfig } from '../../../src/config/load-config';
import { TenantDirectory } from '../../../src/config/tenant-directory';
import { sharedLuccaBudgetOptions } from '../../../src/config/shared-lucca-budget';
import { ArtifactStore } from '../../../src/storage/artifact-store';
import { createConnectorsWorker } from '../../../src/worker';

/**
 * The project's worker in a process of its own, so a test can SIGKILL it: config, artifact store,
 * Temporal address and a prebuilt workflow bundle come from the environment.
 */
async function main(): Promise<void> {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  // The production logger, at DEBUG, when a test scans what the worker prints.
  if (process.env.LC_STRUCTURED_LOGS === '1') Runtime.install({ logger: createStructuredLogger('DEBUG') });
  const loaded = loadConfig(env('LC_CONFIG'));
  // As in production, Lucca budgets are shared through Temporal; LC_LOCAL_BUDGET=1 keeps them per process (control runs).
  const maxActivities = Number(process.env.LUCCA_CONNECTORS_MAX_ACTIVITIES ?? 20);
  const tenants = new TenantDirectory(loaded, process.env, process.env.LC_LOCAL_BUDGET === '1' ? {} : sharedLuccaBudgetOptions(loaded.config.temporal.taskQueue, maxActivities));
  // LC_STALL_MS: block the event loop that long every LC_STALL_EVERY_MS (a CPU-bound plan, a GC pause).
  const stallMs = Number(process.env.LC_STALL_MS ?? 0);
  if (stallMs > 0) {
    setInterval(() => {
      const until = performance.now() + stallMs;
      while (performance.now() < until) { /* stalled */ }
    }, Number(process.env.LC_STALL_EVERY_MS ?? 3_000)).unref();
  }
  const dataConverter = createDataConverter(codecFromConfig(loaded.config, (ref) => tenants.secret(ref)));
  const connection = await NativeConnection.connect({ address: env('LC_TEMPORAL_ADDRESS') });
  const worker = await createConnectorsWorker({
    connection,
    namespace: 'default',
    taskQueue: loaded.config.temporal.taskQueue,
    dataConverter,
    dependencies: { tenants, artifacts: new ArtifactStore(env('LC_DATA_DIR')) },
    workflowBundle: { codePath: env('LC_WORKFLOW_BUNDLE') },
    maxConcurrentActivities: maxActivities,
  });
  process.stdout.write('WORKER READY\n');
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  process.stderr.write(`[worker-entry] ${(err as Error).message}\n`);
  process.exit(1);
});
