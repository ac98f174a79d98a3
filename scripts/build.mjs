#!/usr/bin/env node
// `npm run build`: the production build. TypeScript compiled to dist/ (processes then start with
// plain `node`, no tsx at run time) and the workflow bundle built once, ahead of time, into
// dist/workflow-bundle.js, which the compiled worker loads instead of bundling at every start.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const say = (msg) => process.stderr.write(`[build] ${msg}\n`);

rmSync(dist, { recursive: true, force: true });
say('compiling TypeScript (tsconfig.build.json) -> dist/');
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

say('bundling the workflows ahead of time -> dist/workflow-bundle.js');
const require = createRequire(import.meta.url);
const { buildWorkflowBundle, WORKFLOW_BUNDLE_FILE } = require(join(dist, 'runtime', 'workflow-bundle.js'));
writeFileSync(join(dist, WORKFLOW_BUNDLE_FILE), await buildWorkflowBundle());
say('done: start processes with `node dist/worker.js`, `node dist/client.js`, ...');
