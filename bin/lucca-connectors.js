#!/usr/bin/env node
// Entry point of the `lucca-connectors` CLI. In a clone (dev dependencies installed) it runs the
// TypeScript sources through tsx, so no build step is needed; in a production install
// (`npm ci --omit=dev`, no tsx) it runs the compiled dist/client.js with plain node.
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
let args;
const env = { ...process.env };
try {
  args = [require.resolve('tsx/cli'), join(root, 'src', 'client.ts')];
  // A clone runs the sandbox unless told otherwise (the README's walkthrough); a production
  // install has no such default: without LUCCA_CONNECTORS_CONFIG it stops (src/config/load-config.ts).
  env.LUCCA_CONNECTORS_CONFIG ||= join(root, 'config', 'sandbox.yaml');
} catch {
  const compiled = join(root, 'dist', 'client.js');
  if (!existsSync(compiled)) {
    console.error('lucca-connectors: neither tsx (dev install) nor dist/client.js (run `npm run build`) is available');
    process.exit(1);
  }
  args = [compiled];
}
const r = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
