import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/**
 * Runs one of the scripts/ensure-*.mjs (a tool built from the Go module proxy and cached per user)
 * and returns what it printed: the tool's path. Undefined, with the reason on stderr, when it cannot
 * be had on this machine (no Go, no proxy): the tests that need it skip and say so.
 */
export function ensuredTool(script: string): string | undefined {
  const r = spawnSync(process.execPath, [resolve(ROOT, 'scripts', script)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 45 * 60_000,
  });
  const lines = (r.stdout ?? '').split('\n').filter(Boolean);
  if (r.status !== 0 || lines.length !== 1) {
    process.stderr.write(`[tests] ${script} could not provide its tool (exit ${r.status}): the tests that need it are skipped\n`);
    return undefined;
  }
  return lines[0];
}
