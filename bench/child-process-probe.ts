import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import type { ChildRuntime } from './bench-children-runtime';

/** Lines a bench child prints as `@bench {json}`; anything else is passed through to stderr. */
export const MESSAGE_PREFIX = '@bench ';

export function sendToParent(message: { type: string } & Record<string, unknown>): void {
  process.stdout.write(`${MESSAGE_PREFIX}${JSON.stringify(message)}\n`);
}

export interface ProcessMemory {
  /** Peak resident set size since the process started (VmHWM), bytes. */
  peakRssBytes: number;
  rssBytes: number;
}

/** Reads /proc/<pid>/status (Linux): the kernel's own peak RSS, no sampling gaps. */
export function processMemory(pid: number): ProcessMemory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { peakRssBytes: kib('VmHWM'), rssBytes: kib('VmRSS') };
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system, every thread) a process has used so far, from /proc/<pid>/stat (Linux),
 * in milliseconds; clock ticks taken as the kernel's usual 100 per second.
 */
export function processCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime (fields 14 and 15 of stat)
  } catch {
    return undefined;
  }
}

/**
 * A bench script run in its own Node process, compiled and started with plain `node` as production
 * starts the worker (see bench-children-runtime.ts); the pid we sample is the process doing the work.
 */
export class BenchChild {
  private readonly messages: Array<{ type: string } & Record<string, unknown>> = [];
  private readonly waiters: Array<() => void> = [];
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith(MESSAGE_PREFIX)) {
        this.messages.push(JSON.parse(line.slice(MESSAGE_PREFIX.length)) as { type: string });
        this.waiters.splice(0).forEach((w) => w());
      } else process.stderr.write(`[${name}] ${line}\n`);
    });
    child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    this.exited = new Promise((resolveExit) =>
      child.on('exit', (code) => {
        this.exitCode = code;
        this.waiters.splice(0).forEach((w) => w());
        resolveExit(code);
      }),
    );
  }

  static start(name: string, runtime: ChildRuntime, entry: string, args: string[], env: NodeJS.ProcessEnv): BenchChild {
    const child = spawn(runtime.node, [runtime.entry(entry), ...args], {
      cwd: resolve(__dirname, '..'),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new BenchChild(name, child);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} did not start`);
    return this.child.pid;
  }

  memory(): ProcessMemory | undefined {
    return processMemory(this.pid);
  }

  cpuMs(): number {
    return processCpuMs(this.pid) ?? NaN;
  }

  /** The next message of this type (in order), or an error if the process exits first. */
  async next<T>(type: string): Promise<T> {
    for (;;) {
      const index = this.messages.findIndex((m) => m.type === type);
      if (index >= 0) return this.messages.splice(index, 1)[0] as T;
      if (this.exitCode !== undefined) throw new Error(`${this.name} exited (code ${this.exitCode}) before sending "${type}"`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  async exit(): Promise<number | null> {
    return this.exited;
  }

  /** SIGTERM (graceful worker shutdown), then SIGKILL if it does not stop in time. */
  async stop(graceMs = 30_000): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
