import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ENSURE_SCRIPT = resolve(__dirname, '../../scripts/ensure-temporal-cli.mjs');

/**
 * Path of the Temporal CLI, made available offline by scripts/ensure-temporal-cli.mjs
 * (TEMPORAL_CLI_PATH, PATH, .temporal/bin, a Go build, the official download — in that order).
 */
export function temporalCliPath(): string {
  const r = spawnSync(process.execPath, [ENSURE_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const path = r.stdout.trim().split('\n').pop();
  if (r.status !== 0 || !path) throw new Error('The Temporal CLI is not available; see the messages above for the options.');
  return path;
}
