import { createServer, type Server } from 'node:http';

/**
 * `GET /healthz` for orchestrators (Docker, Kubernetes): 200 while the worker polls, 503 while it
 * starts or drains. `GET /readyz` is the same check. Nothing else is exposed.
 */
export async function startHealthServer(options: {
  port: number;
  host?: string;
  state: () => string;
}): Promise<{ url: string; stop(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url !== '/healthz' && req.url !== '/readyz')) {
      res.writeHead(404).end();
      return;
    }
    const state = options.state();
    res.writeHead(state === 'RUNNING' ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ state }));
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? '0.0.0.0', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { url: `http://${options.host ?? '127.0.0.1'}:${port}`, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
