import { Client, type Connection } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import {
  temporalConnectionOptions as connectionOptionsFromConfig,
  type TemporalConnectionOptions,
} from '../config/temporal-connection-options';
import { assertReady } from '../setup/readiness-check';
import { storeSchemaOf } from '../setup/store-schema';
import type { TemporalServices } from '../setup/temporal-services';
import { openClientConnection, openWorkerConnection } from '../temporal/connect-temporal';
import type { ConnectorsRuntime } from './connectors-runtime';

export { TemporalConnectionError } from '../temporal/connect-temporal';

/** What every connection to the cluster is made with: address, and `temporal.tls` / `temporal.apiKey` when configured. */
export function temporalConnectionOptions(
  runtime: ConnectorsRuntime,
  address = runtime.settings.temporalAddress,
): TemporalConnectionOptions {
  return connectionOptionsFromConfig(runtime.loaded.config.temporal, address, (ref) => runtime.tenants.secret(ref));
}

/**
 * A client for the CLI, the webhook receiver and `npm start`, with the project's data converter.
 * A server that does not answer or refuses us (TLS, API key) is a TemporalConnectionError: one line.
 * `identity`: the Temporal client identity (the CLI's comes from its configured operator; Temporal records it in history).
 */
export async function connectClient(
  runtime: ConnectorsRuntime,
  address?: string,
  identity?: string,
): Promise<{ client: Client; connection: Connection }> {
  const connection = await openClientConnection(temporalConnectionOptions(runtime, address));
  const client = new Client({
    connection,
    namespace: runtime.settings.namespace,
    dataConverter: runtime.dataConverter,
    ...(identity ? { identity } : {}),
  });
  return { client, connection };
}

/** The worker's connection (Rust core), same options, same errors. */
export async function connectWorker(runtime: ConnectorsRuntime, address?: string): Promise<NativeConnection> {
  return openWorkerConnection(temporalConnectionOptions(runtime, address));
}

/**
 * The start-up check of the worker, the webhook receiver and the CLI: the namespace, the search
 * attributes and (when the process uses it) the store exist — otherwise a NotReadyError, one line
 * naming what is missing and `lucca-connectors setup`.
 */
export async function assertDeploymentReady(
  runtime: ConnectorsRuntime,
  services: TemporalServices,
  options: { usesStore: boolean },
): Promise<void> {
  await assertReady({
    services,
    namespace: runtime.settings.namespace,
    address: runtime.settings.temporalAddress,
    ...(options.usesStore ? { store: storeSchemaOf(runtime.artifacts) } : {}),
  });
}
