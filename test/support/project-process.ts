import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const TSX_CJS = require.resolve('tsx/cjs');

/** One of the project's programs (`src/worker.ts`, `src/client.ts`, …) as its own process, as users run it. */
export interface ProgramRun {
  code: number | null;
  /** stdout and stderr, interleaved. */
  output: string;
}

/** `node --require tsx/cjs <script> …args` from the project root: node itself, so a signal reaches the program. */
function spawnProgram(script: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--require', TSX_CJS, resolve(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Runs a program to its end (asynchronously: simulators in the test process keep answering).
 * `onOutput` sees the output as it comes (e.g. the workflow id `run` prints before it waits).
 */
export function runProgram(
  script: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 180_000,
  onOutput?: (soFar: string) => void,
): Promise<ProgramRun> {
  return new Promise((resolveRun) => {
    const child = spawnProgram(script, args, env);
    let output = '';
    const collect = (d: Buffer) => {
      output += d.toString();
      onOutput?.(output);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, output });
    });
  });
}

/** A long-running program (worker, webhook receiver): started until it prints `readyMarker`, then stopped or killed. */
export class ProgramProcess {
  private child: ChildProcess | undefined;
  output = '';
  starts = 0;
  kills = 0;

  constructor(
    private readonly script: string,
    private readonly env: Record<string, string>,
    private readonly readyMarker: string | RegExp,
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(timeoutMs = 120_000): Promise<void> {
    const child = spawnProgram(this.script, [], this.env);
    this.child = child;
    this.starts += 1;
    const from = this.output.length;
    await new Promise<void>((resolveReady, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.script} not ready after ${timeoutMs} ms: ${this.output.slice(from).slice(-3000)}`)),
        timeoutMs,
      );
      const onData = (d: Buffer) => {
        this.output += d.toString();
        const printed = this.output.slice(from);
        if (typeof this.readyMarker === 'string' ? printed.includes(this.readyMarker) : this.readyMarker.test(printed)) {
          clearTimeout(timer);
          resolveReady();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.script} exited before ready (${code ?? signal}): ${this.output.slice(from).slice(-3000)}`));
      });
    });
  }

  /** SIGKILL: no graceful shutdown, as when a machine dies. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
    this.kills += 1;
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM', 40_000);
  }

  private async signal(signal: NodeJS.Signals, killAfterMs?: number): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const timer = killAfterMs ? setTimeout(() => child.kill('SIGKILL'), killAfterMs) : undefined;
    await exited;
    clearTimeout(timer);
  }
}
