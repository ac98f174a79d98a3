import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildWorkflowBundle } from '../../../src/runtime/workflow-bundle';

const ENTRY = resolve(__dirname, 'worker-entry.ts');
const TSX_CJS = require.resolve('tsx/cjs');

/** Bundles the workflows once, so each worker restart takes a second rather than a webpack build. */
export async function prebuildWorkflowBundle(dir: string): Promise<string> {
  const code = await buildWorkflowBundle();
  const path = join(dir, 'workflow-bundle.js');
  writeFileSync(path, code);
  return path;
}

/**
 * The worker as a child process (`node --require tsx/cjs worker-entry.ts`) that a test can SIGKILL and
 * start again, as an orchestrator would after a crash.
 */
export class WorkerProcess {
  private child: ChildProcess | undefined;
  kills = 0;
  starts = 0;
  /** Everything the process printed (stdout and stderr), for leak scans. */
  output = '';

  constructor(
    private readonly env: {
      configPath: string;
      dataDir: string;
      temporalAddress: string;
      bundlePath: string;
      extraEnv?: Record<string, string>;
    },
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    // One process, node itself with tsx's loader: the tsx CLI would run the worker in a child of its
    // own, which a SIGKILL of the CLI would orphan (still running) instead of killing.
    const child = spawn(process.execPath, ['--require', TSX_CJS, ENTRY], {
      env: {
        ...process.env,
        LC_CONFIG: this.env.configPath,
        LC_DATA_DIR: this.env.dataDir,
        LC_TEMPORAL_ADDRESS: this.env.temporalAddress,
        LC_WORKFLOW_BUNDLE: this.env.bundlePath,
        ...this.env.extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts += 1;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
      this.output += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      this.output += d.toString();
    });
    await new Promise<void>((resolveReady, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker not ready after ${timeoutMs} ms: ${stderr}`)), timeoutMs);
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('WORKER READY')) {
          clearTimeout(timer);
          resolveReady();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`worker exited before ready (${code ?? signal}): ${stderr}`));
      });
    });
  }

  /** SIGKILL: no graceful shutdown, in-flight activities are lost mid-call. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await exited;
    this.kills += 1;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
