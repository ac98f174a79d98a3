#!/usr/bin/env node
// Entry point of the `lucca-connectors` CLI: runs src/client.ts through tsx so no build step is needed.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const tsx = require.resolve('tsx/cli');
const r = spawnSync(process.execPath, [tsx, join(__dirname, '..', 'src', 'client.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
