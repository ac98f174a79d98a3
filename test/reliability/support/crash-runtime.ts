import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
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
  /** With `detection: 'heartbeat'`: seconds from each SIGKILL to the killed activity running again elsewhere (or done). */
  recoveries: number[];
}

export interface CrashRuntimeOptions {
  /**
   * `by-hand` (default, the tests): the dead worker's activities are failed at once. `heartbeat`
   * (`npm run chaos -- --heartbeat-detection`): nothing is failed by hand; the server notices the
   * missing heartbeats, and the time until each activity runs again is recorded.
   */
  detection?: 'by-hand' | 'heartbeat';
}

interface StartedActivity {
  workflowId: string;
  runId: string;
  activityId: string;
  attempt: number;
}

export async function startCrashRuntime(world: ReliabilityWorld, options: CrashRuntimeOptions = {}): Promise<CrashRuntime> {
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
  const recoveries: number[] = [];

  return {
    client: () => client,
    taskQueue,
    artifacts: runtime.artifacts,
    worker,
    server,
    recoveries,
    async crashWorker(workflowIds) {
      const killedAt = Date.now();
      await worker.kill();
      const started = await startedActivities(client, workflowIds);
      if (options.detection === 'heartbeat') {
        await worker.start();
        for (const activity of started) recoveries.push((await runningAgain(client, activity)) - killedAt);
        return;
      }
      for (const a of started) {
        await client.activity
          .fail({ workflowId: a.workflowId, runId: a.runId, activityId: a.activityId }, new Error('worker killed (SIGKILL)'))
          .catch(() => undefined); // completed meanwhile: nothing to do
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

/** The activities of these workflows that were running (on the worker that just died). */
async function startedActivities(client: Client, workflowIds: string[]): Promise<StartedActivity[]> {
  const found: StartedActivity[] = [];
  for (const workflowId of workflowIds) {
    try {
      const description = await client.workflow.getHandle(workflowId).describe();
      if (description.status.name !== 'RUNNING') continue;
      for (const pending of description.raw.pendingActivities ?? []) {
        // 2 = PENDING_ACTIVITY_STATE_STARTED: it was running on the worker that just died.
        if (Number(pending.state) !== 2 || !pending.activityId) continue;
        found.push({ workflowId, runId: description.runId, activityId: pending.activityId, attempt: pending.attempt ?? 1 });
      }
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  return found;
}

/** When the activity is running again in a later attempt, or no longer pending (done elsewhere). */
async function runningAgain(client: Client, activity: StartedActivity): Promise<number> {
  for (;;) {
    const description = await client.workflow
      .getHandle(activity.workflowId, activity.runId)
      .describe()
      .catch(() => undefined);
    const pending = description?.raw.pendingActivities?.find((p) => p.activityId === activity.activityId);
    if (!pending || description?.status.name !== 'RUNNING') return Date.now();
    if ((pending.attempt ?? 1) > activity.attempt && Number(pending.state) === 2) return Date.now();
    await new Promise((r) => setTimeout(r, 250));
  }
}
