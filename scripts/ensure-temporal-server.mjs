#!/usr/bin/env node
// Makes the real Temporal server (the one production runs, PostgreSQL persistence) and its SQL
// schema tool available for the tests, without touching any host but the Go module proxy.
// Order: TEMPORAL_SERVER_DIR, the per-user cache, a build from source with Go.
// The directory holds `server`, `sql` and `schema/postgresql/v12/` (copied from the Go module, so
// a cleaned module cache does not break it). Prints progress on stderr and the directory on stdout;
// exits 1 with every option listed.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPORAL_SERVER_VERSION = 'v1.29.1'; // its go.mod has no replace directive, so `go install` accepts it
const MODULE = 'go.temporal.io/server';
const cacheRoot = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lucca-connectors');
export const userCacheDir = join(cacheRoot, `server-${TEMPORAL_SERVER_VERSION}`);

const say = (msg) => process.stderr.write(`[temporal-server] ${msg}\n`);

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH || '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Complete when both binaries run and the PostgreSQL schema is there. */
function isComplete(dir) {
  if (!isExecutable(join(dir, 'server')) || !isExecutable(join(dir, 'sql'))) return false;
  if (!existsSync(join(dir, 'schema', 'postgresql', 'v12', 'temporal', 'versioned'))) return false;
  const r = spawnSync(join(dir, 'server'), ['--version'], { encoding: 'utf8', timeout: 20000 });
  return r.status === 0 && r.stdout.includes(TEMPORAL_SERVER_VERSION.slice(1));
}

function goEnv(go) {
  return { ...process.env, CGO_ENABLED: '0', GOFLAGS: process.env.GOFLAGS || '-mod=mod' };
}

/** The module's source directory in Go's module cache (downloaded through the proxy if needed). */
function moduleDir(go) {
  const r = spawnSync(go, ['mod', 'download', '-json', `${MODULE}@${TEMPORAL_SERVER_VERSION}`], {
    encoding: 'utf8',
    env: goEnv(go),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) return undefined;
  try {
    return JSON.parse(r.stdout).Dir;
  } catch {
    return undefined;
  }
}

/** Builds into a private directory, then renames it into place: a concurrent reader never sees half a build. */
function buildWithGo() {
  const go = onPath('go');
  if (!go) {
    say('Go toolchain not found on PATH; cannot build from source.');
    return false;
  }
  const staging = `${userCacheDir}.build-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  say(
    `building ${MODULE}/cmd/server and cmd/tools/sql @${TEMPORAL_SERVER_VERSION} with ${go} (about 2 minutes with a warm module cache, longer on a fresh machine)...`,
  );
  const started = Date.now();
  const r = spawnSync(
    go,
    [
      'install',
      '-ldflags',
      '-s -w',
      `${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`,
      `${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
    ],
    {
      stdio: ['ignore', 2, 'inherit'], // stdout carries the resulting path only
      env: { ...goEnv(go), GOBIN: staging },
    },
  );
  if (r.status !== 0) {
    say(`go install failed (exit ${r.status}).`);
    rmSync(staging, { recursive: true, force: true });
    return false;
  }
  const source = moduleDir(go);
  if (!source) {
    say('could not locate the module source for its PostgreSQL schema (go mod download failed).');
    return false;
  }
  cpSync(join(source, 'schema', 'postgresql'), join(staging, 'schema', 'postgresql'), { recursive: true });
  rmSync(userCacheDir, { recursive: true, force: true });
  renameSync(staging, userCacheDir);
  say(`built in ${Math.round((Date.now() - started) / 1000)} s -> ${userCacheDir}`);
  return isComplete(userCacheDir);
}

/** Binaries built earlier without the schema (e.g. by hand with GOBIN=<cache dir>): add it. */
function completeSchema(dir) {
  if (!isExecutable(join(dir, 'server')) || !isExecutable(join(dir, 'sql'))) return false;
  if (existsSync(join(dir, 'schema', 'postgresql', 'v12'))) return isComplete(dir);
  const go = onPath('go');
  const source = go && moduleDir(go);
  if (!source) return false;
  cpSync(join(source, 'schema', 'postgresql'), join(dir, 'schema', 'postgresql'), { recursive: true });
  return isComplete(dir);
}

export async function ensureTemporalServer() {
  if (process.env.TEMPORAL_SERVER_DIR) {
    const dir = resolve(process.env.TEMPORAL_SERVER_DIR);
    if (isComplete(dir)) {
      say(`using TEMPORAL_SERVER_DIR=${dir}`);
      return dir;
    }
    say(`TEMPORAL_SERVER_DIR=${dir} lacks server, sql or schema/postgresql/v12 (or is not ${TEMPORAL_SERVER_VERSION}); looking elsewhere.`);
  }
  if (isComplete(userCacheDir) || completeSchema(userCacheDir)) {
    say(`using cached build ${userCacheDir}`);
    return userCacheDir;
  }
  say('no Temporal server build found; building it from source.');
  if (buildWithGo()) return userCacheDir;
  const help = [
    `Could not make the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool available. Options, in the order they are tried:`,
    '  1. set TEMPORAL_SERVER_DIR to a directory holding `server`, `sql` and `schema/postgresql/v12/`',
    `     (the schema directory comes from the ${MODULE} module source);`,
    `  2. a build at ${userCacheDir};`,
    '  3. install Go >= 1.21 (it fetches the toolchain it needs through the module proxy) so that',
    `     \`go install ${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION} ${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}\` can run.`,
  ].join('\n');
  process.stderr.write(help + '\n');
  process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = await ensureTemporalServer();
  process.stdout.write(dir + '\n');
}
