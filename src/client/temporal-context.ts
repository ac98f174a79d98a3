import { Client, Connection } from '@temporalio/client';
import { codecFromConfig, createDataConverter } from '../codec/data-converter';
import { loadConfig, type LoadedConfig } from '../config/load-config';
import { runtimeSettings, type RuntimeSettings } from '../config/runtime-settings';
import { TenantDirectory } from '../config/tenant-directory';
import type { OperatorIdentity } from '../shared/operator-identity';
import { ArtifactStore } from '../storage/artifact-store';
import { operatorIdentityFromEnv } from './operator-identity';

export interface ClientContext {
  loaded: LoadedConfig;
  settings: RuntimeSettings;
  client: Client;
  artifacts: ArtifactStore;
  /** Who this CLI acts as (configured, not typed): recorded with approvals and cancellations. */
  identity: OperatorIdentity;
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
  const identity = operatorIdentityFromEnv();
  const client = new Client({ connection, namespace: settings.namespace, identity: identity.client, dataConverter: createDataConverter(codec) });
  const artifacts = new ArtifactStore(settings.dataDir, codec.artifactCipher);
  return { loaded, settings, client, artifacts, identity, close: () => connection.close() };
}
