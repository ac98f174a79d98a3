import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Hello, simulated: records the users POSTed to `/<tenant>/users` with the tenant's token. */
export class HelloSimulator {
  readonly recorded = new Map<string, Map<number, string>>();
  private readonly tokens = new Map<string, string>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<HelloSimulator> {
    let simulator: HelloSimulator | undefined;
    const server = createServer((req, res) => simulator!.handle(req.url ?? '', req.headers.authorization, req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    simulator = new HelloSimulator(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return simulator;
  }

  addTenant(tenantId: string, token: string): void {
    this.tokens.set(tenantId, token);
    this.recorded.set(tenantId, new Map());
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(path: string, auth: string | undefined, req: NodeJS.ReadableStream, res: import('node:http').ServerResponse) {
    const tenantId = /^\/([^/]+)\/users$/.exec(path)?.[1];
    const token = tenantId && this.tokens.get(tenantId);
    if (!token || auth !== `Bearer ${token}`) return void res.writeHead(401).end();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { users } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { users: Array<{ luccaId: number; name: string }> };
      for (const user of users) this.recorded.get(tenantId)!.set(user.luccaId, user.name);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ recorded: users.length }));
    });
  }
}
