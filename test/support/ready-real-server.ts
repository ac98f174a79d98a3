import { Connection } from '@temporalio/client';
import { ensureNamespace } from '../../src/setup/namespace-setup';
import { ensureSearchAttributes } from '../../src/setup/search-attribute-setup';
import { startPostgresServer } from './postgres-server';
import { RealTemporalServer } from './real-temporal-server';
import { waitFor } from './wait-for';

export interface ReadyRealServer {
  server: RealTemporalServer;
  connection: Connection;
  stop(): Promise<void>;
}

/**
 * The real Temporal server on its own PostgreSQL, with what `setup` leaves behind: the `default`
 * namespace (one day of retention), answering, and the project's search attributes.
 */
export async function startReadyRealServer(): Promise<ReadyRealServer> {
  const postgres = await startPostgresServer();
  const server = await RealTemporalServer.start({ postgres });
  const connection = await Connection.connect({ address: server.address });
  const namespace = 'default';
  await ensureNamespace(connection, namespace, 1);
  const described = () =>
    connection.workflowService.describeNamespace({ namespace }).then(
      () => true,
      () => undefined,
    );
  await waitFor('namespace ready', described, 60_000);
  await ensureSearchAttributes(connection, namespace);
  return {
    server,
    connection,
    async stop() {
      await connection.close();
      await server.stop();
      await postgres.stop();
    },
  };
}
