import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/**
 * Runs one of the scripts/ensure-*.mjs (a tool built from the Go module proxy and cached per user)
 * and returns what it printed: the tool's path. When it cannot be had (no Go, no proxy) the suite
 * fails, so a missing tool never passes as a green check; LUCCA_CONNECTORS_SKIP_MISSING_TOOLS=1
 * turns that into a skip, said on stderr, for a machine that knowingly lacks Go.
 */
export function ensuredTool(script: string): string | undefined {
  const r = spawnSync(process.execPath, [resolve(ROOT, 'scripts', script)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 45 * 60_000,
  });
  const lines = (r.stdout ?? '').split('\n').filter(Boolean);
  if (r.status !== 0 || lines.length !== 1) {
    const reason = `${script} could not provide its tool (exit ${r.status})`;
    if (process.env.LUCCA_CONNECTORS_SKIP_MISSING_TOOLS !== '1') throw new Error(reason);
    process.stderr.write(`[tests] ${reason}: the tests that need it are skipped\n`);
    return undefined;
  }
  return lines[0];
}
