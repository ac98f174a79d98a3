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
  // Each part is stopped if a later step fails: the caller gets nothing to stop in that case.
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s();
  };
  try {
    const postgres = await startPostgresServer();
    stops.push(() => postgres.stop());
    const server = await RealTemporalServer.start({ postgres });
    stops.push(() => server.stop());
    const connection = await Connection.connect({ address: server.address });
    stops.push(() => connection.close());
    await prepareDefaultNamespace(connection);
    return { server, connection, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** What `setup` does to the namespace the suites use: registered, answering, with its search attributes. */
async function prepareDefaultNamespace(connection: Connection): Promise<void> {
  const namespace = 'default';
  await ensureNamespace(connection, namespace, 1);
  const described = () =>
    connection.workflowService.describeNamespace({ namespace }).then(
      () => true,
      () => undefined,
    );
  await waitFor('namespace ready', described, 60_000);
  await ensureSearchAttributes(connection, namespace);
}
