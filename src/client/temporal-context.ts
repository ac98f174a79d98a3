import type { Client, Connection } from '@temporalio/client';
import type { LoadedConfig } from '../config/loaded-config';
import type { RuntimeSettings } from '../config/runtime-settings';
import { buildRuntime } from '../runtime/connectors-runtime';
import { assertDeploymentReady, connectClient } from '../runtime/temporal-connection';
import type { OperatorIdentity } from '../shared/operator-identity';
import type { ArtifactStore } from '../storage/artifact-store';
import { operatorIdentityFromEnv } from './operator-identity';

export interface ClientContext {
  loaded: LoadedConfig;
  settings: RuntimeSettings;
  connection: Connection;
  client: Client;
  artifacts: ArtifactStore;
  /** Who this CLI acts as (configured, not typed): recorded with approvals and cancellations. */
  identity: OperatorIdentity;
  close(): Promise<void>;
}

export interface ClientContextOptions {
  /** `setup` prepares what the start-up check requires, so it skips it; every other command checks. */
  checkReadiness?: boolean;
}

/** The CLI's connection: the same composition root as the workers (config, codec, store). */
export async function openClientContext(options: ClientContextOptions = {}): Promise<ClientContext> {
  const runtime = buildRuntime();
  const identity = operatorIdentityFromEnv();
  const { client, connection } = await connectClient(runtime, undefined, identity.client);
  const close = async () => {
    await connection.close();
    await runtime.close();
  };
  if (options.checkReadiness !== false) {
    await assertDeploymentReady(runtime, connection, { usesStore: true }).catch(async (err: unknown) => {
      await close();
      throw err;
    });
  }
  return { loaded: runtime.loaded, settings: runtime.settings, connection, client, artifacts: runtime.artifacts, identity, close };
}
