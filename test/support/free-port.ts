import { createServer } from 'node:net';

/** A port free on 127.0.0.1 right now (the OS picks it, from its ephemeral range). */
export function freePort(): Promise<number> {
  return listenOn(0);
}

/**
 * A free port below 32768, outside the OS's ephemeral range (so no outgoing connection takes it
 * meanwhile). The Temporal server needs this for its services: it stores their ports in a
 * PostgreSQL `smallint` column (cluster_membership.rpc_port), and refuses to start above 32767.
 */
export async function freeLowPort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const candidate = 20_000 + Math.floor(Math.random() * 12_000);
    const port = await listenOn(candidate).catch(() => undefined);
    if (port) return port;
  }
  throw new Error('no free port found between 20000 and 32000 on 127.0.0.1');
}

function listenOn(port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      server.close(() => resolvePort(address.port));
    });
  });
}
