import { spawn } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { ALL_SEARCH_ATTRIBUTES } from '../../../src/shared/search-attributes';
import { temporalCliPath } from '../../../src/temporal/temporal-cli-path';
import { RestartableChildServer } from '../../support/restartable-child-server';
import { freePort } from '../../support/free-port';

/**
 * A Temporal dev server we start ourselves (rather than `TestWorkflowEnvironment.createLocal`)
 * so it can be stopped and started again on the same port and SQLite file: runs must resume.
 */
export class RestartableTemporalServer extends RestartableChildServer {
  private constructor(
    private readonly cli: string,
    readonly port: number,
    private readonly httpPort: number,
    readonly dbFile: string,
  ) {
    super();
  }

  static async start(dbFile: string): Promise<RestartableTemporalServer> {
    const server = new RestartableTemporalServer(temporalCliPath(), await freePort(), await freePort(), dbFile);
    await server.spawn();
    return server;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  protected async spawn(): Promise<void> {
    const args = [
      'server',
      'start-dev',
      '--headless',
      '--ip',
      '127.0.0.1',
      '--port',
      String(this.port),
      '--http-port',
      String(this.httpPort),
      '--db-filename',
      this.dbFile,
      '--log-level',
      'error',
    ];
    for (const key of ALL_SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=Keyword`);
    this.child = spawn(this.cli, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    this.child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`temporal dev server exited: ${stderr}`);
      try {
        const connection = await Connection.connect({ address: this.address, connectTimeout: 1_000 });
        await connection.workflowService.getSystemInfo({});
        await connection.close();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`temporal dev server not reachable: ${stderr}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }
}
