import type { Client } from '@temporalio/client';
import type { LoadedConfig } from '../config/load-config';
import type { RuntimeSettings } from '../config/runtime-settings';
import { buildRuntime } from '../runtime/connectors-runtime';
import { connectClient } from '../runtime/temporal-connection';
import type { ArtifactStore } from '../storage/artifact-store';

export { TemporalUnreachableError } from '../runtime/temporal-connection';

export interface ClientContext {
  loaded: LoadedConfig;
  settings: RuntimeSettings;
  client: Client;
  artifacts: ArtifactStore;
  close(): Promise<void>;
}

/** The CLI's connection: the same composition root as the workers (config, codec, store). */
export async function openClientContext(): Promise<ClientContext> {
  const runtime = buildRuntime();
  const { client, connection } = await connectClient(runtime);
  return {
    loaded: runtime.loaded,
    settings: runtime.settings,
    client,
    artifacts: runtime.artifacts,
    close: async () => {
      await connection.close();
      await runtime.close();
    },
  };
}
