#!/usr/bin/env node
// Runs before `npm start` and `npm test`: installs npm packages when they are missing or stale,
// then makes sure the Temporal CLI exists, so both commands work on a fresh clone on their own.
// With --test it also makes the real Temporal server (PostgreSQL persistence) available: the
// production tests run on it.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, utimesSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000);
if (stale) {
  // `npm install` rather than `npm ci`: it follows the lockfile just the same, but tolerates lockfiles
  // made against registry mirrors that carry only this platform's optional packages (swc, esbuild).
  process.stderr.write('[bootstrap] installing npm packages (npm install, from package-lock.json)...\n');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('[bootstrap] npm install failed\n');
    process.exit(r.status ?? 1);
  }
  // npm leaves the marker untouched when nothing changed: mark the install as current ourselves.
  if (existsSync(marker)) {
    const now = new Date();
    utimesSync(marker, now, now);
  }
}
const { ensureTemporalCli } = await import('./ensure-temporal-cli.mjs');
await ensureTemporalCli();
if (process.argv.includes('--test')) {
  const { ensureTemporalServer } = await import('./ensure-temporal-server.mjs');
  await ensureTemporalServer();
}
