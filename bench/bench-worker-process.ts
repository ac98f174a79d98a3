import { DefaultLogger, Runtime } from '@temporalio/worker';
import { buildRuntime } from '../src/runtime/connectors-runtime';
import { connectWorker } from '../src/runtime/temporal-connection';
import { createRuntimeWorker } from '../src/worker';
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
  // The production composition root: the Lucca budget shared through Temporal, sealed payloads and artifacts.
  const runtime = buildRuntime({
    loaded,
    sharedLuccaBudget: true,
    settings: { temporalAddress: requireEnv('BENCH_TEMPORAL_ADDRESS'), dataDir: requireEnv('BENCH_DATA_DIR') },
  });
  const connection = await connectWorker(runtime);
  const worker = await createRuntimeWorker(runtime, connection, { workflowBundle: { codePath: requireEnv('BENCH_WORKFLOW_BUNDLE') } });
  const running = worker.run();
  sendToParent({ type: 'ready' });
  await running; // SIGTERM: the SDK runtime shuts the worker down gracefully
  await connection.close();
}

main().catch((err) => {
  console.error(`[bench-worker] failed: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
