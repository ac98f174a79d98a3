import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { ensureSearchAttributes } from '../../src/setup/search-attribute-setup';
import { startPostgresServer, type PostgresServer } from './postgres-server';
import { RealTemporalServer } from './real-temporal-server';
import { waitFor } from './wait-for';

export interface ReadyRealServer {
  postgres: PostgresServer;
  server: RealTemporalServer;
  connection: Connection;
  stop(): Promise<void>;
}

/**
 * The real Temporal server on its own PostgreSQL, its `default` namespace registered (one day of
 * retention), answering, and holding the project's search attributes: what `setup` leaves behind.
 */
export async function startReadyRealServer(): Promise<ReadyRealServer> {
  const postgres = await startPostgresServer();
  const server = await RealTemporalServer.start({ postgres });
  const connection = await Connection.connect({ address: server.address });
  const namespace = 'default';
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(24 * 3600_000) });
  const described = () =>
    connection.workflowService.describeNamespace({ namespace }).then(
      () => true,
      () => undefined,
    );
  await waitFor('namespace ready', described, 60_000);
  await ensureSearchAttributes(connection, namespace);
  return {
    postgres,
    server,
    connection,
    async stop() {
      await connection.close();
      await server.stop();
      await postgres.stop();
    },
  };
}
