import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { codecFromConfig, createDataConverter } from '../src/codec/data-converter';
import { TenantDirectory } from '../src/config/tenant-directory';
import { sharedLuccaBudgetOptions } from '../src/config/shared-lucca-budget';
import { createFilesystemArtifactStore } from '../src/storage/create-artifact-store';
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
  // Production settings: the Lucca budget shared through Temporal, artifacts sealed at rest.
  const tenants = new TenantDirectory(loaded, process.env, sharedLuccaBudgetOptions(loaded.config.temporal.taskQueue));
  const codec = codecFromConfig(loaded.config, (ref) => tenants.secret(ref));
  const connection = await NativeConnection.connect({ address: requireEnv('BENCH_TEMPORAL_ADDRESS') });
  const worker = await createConnectorsWorker({
    connection,
    namespace: 'default',
    taskQueue: loaded.config.temporal.taskQueue,
    // The production data converter: history holds the sealed payloads, as in production.
    dataConverter: createDataConverter(codec),
    dependencies: { tenants, artifacts: createFilesystemArtifactStore(requireEnv('BENCH_DATA_DIR'), codec.artifactCipher) },
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
