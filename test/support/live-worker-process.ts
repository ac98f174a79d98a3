import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { stopChildProcess } from './stop-child-process';
import { freePort } from './free-port';

const WORKER = resolve(__dirname, '../../src/worker.ts');
const TSX_CJS = require.resolve('tsx/cjs');

/** `src/worker.ts` itself (what `npm run worker` starts), in a child process, its JSON log lines collected. */
export class LiveWorkerProcess {
  private child: ChildProcess | undefined;
  output = '';

  constructor(private readonly env: Record<string, string>) {}

  async start(timeoutMs = 120_000): Promise<void> {
    const env = {
      ...process.env,
      ...this.env,
      LUCCA_CONNECTORS_HEALTH_PORT: String(await freePort()),
      LUCCA_CONNECTORS_METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
    };
    const child = spawn(process.execPath, ['--require', TSX_CJS, WORKER], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (this.output += d.toString()));
    await this.waitFor((line) => line.msg === 'worker started', timeoutMs);
  }

  /** Log lines as objects (non-JSON lines are skipped). */
  lines(): Array<Record<string, unknown>> {
    return this.output.split('\n').flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  /** Resolves with the first log line (after `after` lines) that matches. */
  async waitFor(match: (line: Record<string, unknown>) => boolean, timeoutMs = 60_000, after = 0): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines().slice(after).find(match);
      if (found) return found;
      if (this.child && this.child.exitCode !== null) throw new Error(`worker exited: ${this.output.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`no matching log line after ${timeoutMs} ms: ${this.output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  signal(name: NodeJS.Signals): void {
    this.child?.kill(name);
  }

  stop(): Promise<void> {
    return stopChildProcess(this.child, 40_000);
  }
}
