import { Client, Connection } from '@temporalio/client';
import { codecFromConfig, createDataConverter } from '../codec/data-converter';
import { loadConfig, type LoadedConfig } from '../config/load-config';
import { runtimeSettings, type RuntimeSettings } from '../config/runtime-settings';
import { TenantDirectory } from '../config/tenant-directory';
import type { ArtifactStore } from '../storage/artifact-store';
import { createArtifactStore } from '../storage/create-artifact-store';

export interface ClientContext {
  loaded: LoadedConfig;
  settings: RuntimeSettings;
  client: Client;
  artifacts: ArtifactStore;
  close(): Promise<void>;
}

export class TemporalUnreachableError extends Error {
  override readonly name = 'TemporalUnreachableError';
}

/** The CLI's connection: same config, same codec and artifact store as the workers. */
export async function openClientContext(): Promise<ClientContext> {
  const loaded = loadConfig();
  const settings = runtimeSettings(loaded.config);
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: settings.temporalAddress, connectTimeout: '5 seconds' });
    await connection.workflowService.getSystemInfo({});
  } catch {
    throw new TemporalUnreachableError(
      `the Temporal server at ${settings.temporalAddress} does not answer (is \`npm start\` or your server running? LUCCA_CONNECTORS_TEMPORAL_ADDRESS overrides the address)`,
    );
  }
  const tenants = new TenantDirectory(loaded);
  const codec = codecFromConfig(loaded.config, (ref) => tenants.secret(ref));
  const client = new Client({ connection, namespace: settings.namespace, dataConverter: createDataConverter(codec) });
  const artifacts = createArtifactStore(settings, { cipher: codec.artifactCipher, resolveSecret: (ref) => tenants.secret(ref) });
  return {
    loaded,
    settings,
    client,
    artifacts,
    close: async () => {
      await artifacts.close();
      await connection.close();
    },
  };
}
