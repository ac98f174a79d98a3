import type { ChildProcess } from 'node:child_process';

/** SIGTERM (a graceful drain), SIGKILL after `graceMs`; resolves once the process has exited. */
export async function stopChildProcess(child: ChildProcess | undefined, graceMs: number): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
