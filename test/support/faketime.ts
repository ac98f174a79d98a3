import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/faketime/libfaketime.so.1',
];

/**
 * Debian's libfaketime, to run a worker process with its clock off by a few seconds. Installed with
 * apt-get (a Debian package: reachable offline) when missing and the tests run as root.
 */
export function libfaketimePath(): string {
  const found = () => CANDIDATES.find((p) => existsSync(p));
  if (!found() && process.getuid?.() === 0) {
    const apt = (...args: string[]) =>
      execFileSync('apt-get', args, { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    try {
      apt('install', '-y', '-qq', 'faketime');
    } catch {
      apt('update', '-qq');
      apt('install', '-y', '-qq', 'faketime');
    }
  }
  const path = found();
  if (!path) throw new Error('libfaketime is missing: install Debian\'s "faketime" package (apt-get install faketime)');
  return path;
}

/** Environment that shifts a child process's clocks (wall and monotonic) by `offset`, e.g. "+2s". */
export function clockOffsetEnv(offset: string): Record<string, string> {
  return { LD_PRELOAD: libfaketimePath(), FAKETIME: offset, FAKETIME_NO_CACHE: '1' };
}
