import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { parseConfigText } from '../../../src/config/load-config';
import { buildRuntime } from '../../../src/runtime/connectors-runtime';
import type { ArtifactStore } from '../../../src/storage/artifact-store';
import { createRuntimeWorker } from '../../../src/worker';
import { startTemporalTestEnv } from '../../support/temporal-test-env';
import type { ReliabilityWorld } from './reliability-world';
import { writeTestConfigFile } from '../../support/test-config-file';

/** What a scenario needs from wherever the worker runs (in this process, or a killable child). */
export interface ScenarioRuntime {
  client(): Client;
  taskQueue: string;
  artifacts: ArtifactStore;
  stop(): Promise<void>;
}

/** A config file for the world's tenants; returns its path and the temporary directory. */
export function writeWorldConfig(
  world: ReliabilityWorld,
  taskQueue: string,
  dir = mkdtempSync(join(tmpdir(), 'lc-reliability-')),
): { dir: string; configPath: string; yaml: string } {
  // Payloads are encrypted in history like in production: a fresh key per scenario.
  return { dir, ...writeTestConfigFile(dir, { taskQueue, tenantsYaml: world.tenantsYaml(dir) }) };
}

/** Temporal dev server + worker in this process (fault and bad-input suites). */
export async function startInProcessRuntime(world: ReliabilityWorld): Promise<ScenarioRuntime> {
  const taskQueue = `reliability-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const { dir, configPath, yaml } = writeWorldConfig(world, taskQueue);
  // The production composition root (sealed artifacts included), on a dev server.
  const runtime = buildRuntime({ loaded: parseConfigText(yaml, configPath), settings: { dataDir: join(dir, 'artifacts') } });
  const { artifacts } = runtime;
  const env = await startTemporalTestEnv({ dataConverter: runtime.dataConverter });
  world.setClient(env.client);
  const worker = await createRuntimeWorker(runtime, env.nativeConnection);
  const running = worker.run();
  return {
    client: () => env.client,
    taskQueue,
    artifacts,
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
