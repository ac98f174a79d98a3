import { Client, type Connection } from '@temporalio/client';
import { codecFromConfig, createDataConverter } from '../codec/data-converter';
import { loadConfig, type LoadedConfig } from '../config/load-config';
import { runtimeSettings, type RuntimeSettings } from '../config/runtime-settings';
import { temporalConnectionOptions } from '../config/temporal-connection-options';
import { TenantDirectory } from '../config/tenant-directory';
import { assertReady } from '../setup/readiness-check';
import { storeSchemaOf } from '../setup/store-schema';
import { ArtifactStore } from '../storage/artifact-store';
import { connectClient } from '../temporal/connect-temporal';

export interface ClientContext {
  loaded: LoadedConfig;
  settings: RuntimeSettings;
  connection: Connection;
  client: Client;
  artifacts: ArtifactStore;
  close(): Promise<void>;
}

export interface ClientContextOptions {
  /** `setup` prepares what the check requires, so it skips it; every other command checks. */
  checkReadiness?: boolean;
}

/** The CLI's connection: same config, same codec and artifact store as the workers. */
export async function openClientContext(options: ClientContextOptions = {}): Promise<ClientContext> {
  const loaded = loadConfig();
  const settings = runtimeSettings(loaded.config);
  const tenants = new TenantDirectory(loaded);
  const connection = await connectClient(temporalConnectionOptions(loaded.config.temporal, settings.temporalAddress, (ref) => tenants.secret(ref)));
  const codec = codecFromConfig(loaded.config, (ref) => tenants.secret(ref));
  const client = new Client({ connection, namespace: settings.namespace, dataConverter: createDataConverter(codec) });
  const artifacts = new ArtifactStore(settings.dataDir, codec.artifactCipher);
  const close = () => connection.close();
  if (options.checkReadiness !== false) {
    try {
      await assertReady({ services: connection, namespace: settings.namespace, address: settings.temporalAddress, store: storeSchemaOf(artifacts) });
    } catch (err) {
      await close();
      throw err;
    }
  }
  return { loaded, settings, connection, client, artifacts, close };
}
