import { Runtime } from '@temporalio/worker';
import { createStructuredLogger } from '../../../src/observability/structured-logger';
import { loadConfig } from '../../../src/config/load-config';
import { buildRuntime } from '../../../src/runtime/connectors-runtime';
import { connectWorker } from '../../../src/runtime/temporal-connection';
import { createRuntimeWorker } from '../../../src/worker';

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
  // The production composition root. As in production, Lucca budgets are shared through Temporal;
  // LC_LOCAL_BUDGET=1 keeps them per process (control runs).
  const runtime = buildRuntime({
    loaded: loadConfig(env('LC_CONFIG')),
    sharedLuccaBudget: process.env.LC_LOCAL_BUDGET !== '1',
    settings: { temporalAddress: env('LC_TEMPORAL_ADDRESS'), dataDir: env('LC_DATA_DIR') },
  });
  // LC_STALL_MS: block the event loop that long every LC_STALL_EVERY_MS (a CPU-bound plan, a GC pause).
  const stallMs = Number(process.env.LC_STALL_MS ?? 0);
  if (stallMs > 0) {
    setInterval(
      () => {
        const until = performance.now() + stallMs;
        while (performance.now() < until) {
          /* stalled */
        }
      },
      Number(process.env.LC_STALL_EVERY_MS ?? 3_000),
    ).unref();
  }
  const connection = await connectWorker(runtime);
  const worker = await createRuntimeWorker(runtime, connection, { workflowBundle: { codePath: env('LC_WORKFLOW_BUNDLE') } });
  process.stdout.write('WORKER READY\n');
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  process.stderr.write(`[worker-entry] ${(err as Error).message}\n`);
  process.exit(1);
});
