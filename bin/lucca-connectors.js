#!/usr/bin/env node
// Entry point of the `lucca-connectors` CLI. In a clone (dev dependencies installed) it runs the
// TypeScript sources through tsx, so no build step is needed; in a production install
// (`npm ci --omit=dev`, no tsx) it runs the compiled dist/client.js with plain node.
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
let args;
try {
  args = [require.resolve('tsx/cli'), join(root, 'src', 'client.ts')];
} catch {
  const compiled = join(root, 'dist', 'client.js');
  if (!existsSync(compiled)) {
    console.error('lucca-connectors: neither tsx (dev install) nor dist/client.js (run `npm run build`) is available');
    process.exit(1);
  }
  args = [compiled];
}
const r = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
