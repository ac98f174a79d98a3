import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { codecFromConfig, createDataConverter } from '../src/codec/data-converter';
import { TenantDirectory } from '../src/config/tenant-directory';
import { ArtifactStore } from '../src/storage/artifact-store';
import { createConnectorsWorker } from '../src/worker';
import { loadBenchConfig, requireEnv } from './bench-config';
import { sendToParent } from './child-process-probe';

/**
 * The project's worker (createConnectorsWorker, production settings) in its own process, so the
 * bench measures its memory alone. The workflow bundle is prebuilt by the parent, as in production:
 * bundling at start-up would add webpack's peak to the worker's.
 */
async function main(): Promise<void> {
  // Worker state changes at INFO would drown the bench output; warnings and errors still show.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const loaded = loadBenchConfig(requireEnv('BENCH_CONFIG'));
  const tenants = new TenantDirectory(loaded);
  const connection = await NativeConnection.connect({ address: requireEnv('BENCH_TEMPORAL_ADDRESS') });
  const worker = await createConnectorsWorker({
    connection,
    namespace: 'default',
    taskQueue: loaded.config.temporal.taskQueue,
    // The production data converter: history holds the sealed payloads, as in production.
    dataConverter: createDataConverter(codecFromConfig(loaded.config, (ref) => tenants.secret(ref))),
    dependencies: { tenants, artifacts: new ArtifactStore(requireEnv('BENCH_DATA_DIR')) },
    workflowBundle: { codePath: requireEnv('BENCH_WORKFLOW_BUNDLE') },
  });
  const running = worker.run();
  sendToParent({ type: 'ready' });
  await running; // SIGTERM: the SDK runtime shuts the worker down gracefully
  await connection.close();
}

main().catch((err) => {
  console.error(`[bench-worker] failed: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
