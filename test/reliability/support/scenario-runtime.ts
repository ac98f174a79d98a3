import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { parseConfigText } from '../../../src/config/load-config';
import { TenantDirectory } from '../../../src/config/tenant-directory';
import { ArtifactStore } from '../../../src/storage/artifact-store';
import { createConnectorsWorker } from '../../../src/worker';
import { startTemporalTestEnv } from '../../support/temporal-test-env';
import type { ReliabilityWorld } from './reliability-world';

/** What a scenario needs from wherever the worker runs (in this process, or a killable child). */
export interface ScenarioRuntime {
  client(): Client;
  taskQueue: string;
  artifacts: ArtifactStore;
  stop(): Promise<void>;
}

/** A config file for the world's tenants; returns its path and the temporary directory. */
export function writeWorldConfig(world: ReliabilityWorld, taskQueue: string, dir = mkdtempSync(join(tmpdir(), 'lc-reliability-'))): { dir: string; configPath: string; yaml: string } {
  const yaml = ['temporal:', `  taskQueue: ${taskQueue}`, 'tenants:', world.tenantsYaml(dir)].join('\n');
  const configPath = join(dir, 'config.yaml');
  writeFileSync(configPath, yaml);
  return { dir, configPath, yaml };
}

/** Temporal dev server + worker in this process (fault and bad-input suites). */
export async function startInProcessRuntime(world: ReliabilityWorld): Promise<ScenarioRuntime> {
  const taskQueue = `reliability-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const { dir, configPath, yaml } = writeWorldConfig(world, taskQueue);
  const tenants = new TenantDirectory(parseConfigText(yaml, configPath));
  const artifacts = new ArtifactStore(join(dir, 'artifacts'));
  const env = await startTemporalTestEnv();
  world.setClient(env.client);
  const worker = await createConnectorsWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, dependencies: { tenants, artifacts } });
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
