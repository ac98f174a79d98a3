import type { Client } from '@temporalio/client';
import type { LoadedConfig } from '../config/load-config';
import type { RuntimeSettings } from '../config/runtime-settings';
import { buildRuntime } from '../runtime/connectors-runtime';
import { connectClient } from '../runtime/temporal-connection';
import type { OperatorIdentity } from '../shared/operator-identity';
import type { ArtifactStore } from '../storage/artifact-store';
import { operatorIdentityFromEnv } from './operator-identity';

export { TemporalUnreachableError } from '../runtime/temporal-connection';

export interface ClientContext {
  loaded: LoadedConfig;
  settings: RuntimeSettings;
  client: Client;
  artifacts: ArtifactStore;
  /** Who this CLI acts as (configured, not typed): recorded with approvals and cancellations. */
  identity: OperatorIdentity;
  close(): Promise<void>;
}

/** The CLI's connection: the same composition root as the workers (config, codec, store). */
export async function openClientContext(): Promise<ClientContext> {
  const runtime = buildRuntime();
  const identity = operatorIdentityFromEnv();
  const { client, connection } = await connectClient(runtime, undefined, identity.client);
  return {
    loaded: runtime.loaded,
    settings: runtime.settings,
    client,
    artifacts: runtime.artifacts,
    identity,
    close: async () => {
      await connection.close();
      await runtime.close();
    },
  };
}
