import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { ConnectorsRuntime } from './connectors-runtime';

/** What every connection to the cluster is made with (address; TLS and API key when configured). */
export function temporalConnectionOptions(runtime: ConnectorsRuntime, address = runtime.settings.temporalAddress) {
  return { address };
}

export class TemporalUnreachableError extends Error {
  override readonly name = 'TemporalUnreachableError';
}

/** A client for the CLI, the webhook receiver and `npm start`, with the project's data converter. */
export async function connectClient(runtime: ConnectorsRuntime, address?: string): Promise<{ client: Client; connection: Connection }> {
  const options = temporalConnectionOptions(runtime, address);
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...options, connectTimeout: '5 seconds' });
    await connection.workflowService.getSystemInfo({});
  } catch (err) {
    throw new TemporalUnreachableError(
      `the Temporal server at ${options.address} does not answer (${(err as Error).message.split('\n')[0]}); is \`npm start\` or your server running? LUCCA_CONNECTORS_TEMPORAL_ADDRESS overrides the address`,
    );
  }
  const client = new Client({ connection, namespace: runtime.settings.namespace, dataConverter: runtime.dataConverter });
  return { client, connection };
}

/** The worker's connection (Rust core), same options. */
export async function connectWorker(runtime: ConnectorsRuntime, address?: string): Promise<NativeConnection> {
  const options = temporalConnectionOptions(runtime, address);
  try {
    return await NativeConnection.connect(options);
  } catch (err) {
    throw new TemporalUnreachableError(`cannot connect to the Temporal server at ${options.address}: ${(err as Error).message.split('\n')[0]}`);
  }
}
