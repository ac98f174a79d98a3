import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { loadConfig } from '../../../src/config/load-config';
import { buildRuntime } from '../../../src/runtime/connectors-runtime';
import { connectClient } from '../../../src/runtime/temporal-connection';
import type { ReliabilityWorld } from './reliability-world';
import type { ScenarioRuntime } from './scenario-runtime';
import { writeWorldConfig } from './scenario-runtime';
import { RestartableTemporalServer } from './temporal-dev-server';
import { prebuildWorkflowBundle, WorkerProcess } from './worker-process';

export interface CrashRuntime extends ScenarioRuntime {
  worker: WorkerProcess;
  server: RestartableTemporalServer;
  /**
   * SIGKILL the worker, then start a new one. Activities the dead worker had started are failed
   * as a heartbeat timeout would fail them (the server notices 15 s after the last heartbeat; the
   * kills here come every few seconds, so this does the same at once, with a retryable failure).
   * The real detection is measured by the production proof.
   */
  crashWorker(workflowIds: string[]): Promise<void>;
  restartServer(): Promise<void>;
}

export async function startCrashRuntime(world: ReliabilityWorld): Promise<CrashRuntime> {
  const dir = mkdtempSync(join(tmpdir(), 'lc-crash-'));
  const taskQueue = `crash-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const { configPath } = writeWorldConfig(world, taskQueue, dir);
  const server = await RestartableTemporalServer.start(join(dir, 'temporal.db'));
  const dataDir = join(dir, 'artifacts');
  // The production composition root, as the worker process builds it (same store and cipher).
  const runtime = buildRuntime({ loaded: loadConfig(configPath), settings: { temporalAddress: server.address, dataDir } });
  const { client, connection } = await connectClient(runtime);
  world.setClient(client);
  const bundlePath = await prebuildWorkflowBundle(dir);
  const worker = new WorkerProcess({ configPath, dataDir, temporalAddress: server.address, bundlePath });
  await worker.start();

  return {
    client: () => client,
    taskQueue,
    artifacts: runtime.artifacts,
    worker,
    server,
    async crashWorker(workflowIds) {
      await worker.kill();
      for (const workflowId of workflowIds) {
        try {
          const description = await client.workflow.getHandle(workflowId).describe();
          if (description.status.name !== 'RUNNING') continue;
          for (const pending of description.raw.pendingActivities ?? []) {
            // 2 = PENDING_ACTIVITY_STATE_STARTED: it was running on the worker that just died.
            if (Number(pending.state) !== 2 || !pending.activityId) continue;
            await client.activity
              .fail({ workflowId, runId: description.runId, activityId: pending.activityId }, new Error('worker killed (SIGKILL)'))
              .catch(() => undefined); // completed meanwhile: nothing to do
          }
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        }
      }
      await worker.start();
    },
    async restartServer() {
      await server.restart();
    },
    async stop() {
      await worker.stop();
      await connection.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
