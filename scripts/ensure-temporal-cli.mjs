#!/usr/bin/env node
// Makes the Temporal CLI (dev server + Web UI) available without touching any host but the
// Go module proxy. Order: TEMPORAL_CLI_PATH, `temporal` on PATH, the cached build in
// .temporal/bin, a build from source with Go, the official download (machines with internet).
// Prints progress on stderr and the resolved path on stdout; exits 1 with every option listed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, accessSync, constants, chmodSync, copyFileSync, writeFileSync, renameSync } from 'node:fs';
import { homedir, tmpdir, platform, arch } from 'node:os';
import { dirname, join, resolve, delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPORAL_CLI_VERSION = 'v1.5.1'; // newest tag that `go install` accepts (later tags use a replace directive)
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const cachedBinary = join(projectRoot, '.temporal', 'bin', 'temporal');
// A per-user copy outlives fresh clones (CI clones anew each run); Go's own caches make a rebuild quick too.
const userCacheBinary = join(
  process.env.XDG_CACHE_HOME || join(homedir(), '.cache'),
  'lucca-connectors',
  `temporal-${TEMPORAL_CLI_VERSION}`,
);

const say = (msg) => process.stderr.write(`[temporal-cli] ${msg}\n`);

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function answersVersion(path) {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 20000 });
  return r.status === 0;
}

function onPath(name) {
  for (const dir of (process.env.PATH || '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function buildWithGo() {
  const go = onPath('go');
  if (!go) {
    say('Go toolchain not found on PATH; cannot build from source.');
    return false;
  }
  const bindir = dirname(cachedBinary);
  mkdirSync(bindir, { recursive: true });
  say(
    `building github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION} with ${go} (first build takes several minutes; Go caches make later ones fast)...`,
  );
  const started = Date.now();
  const r = spawnSync(
    go,
    [
      'install',
      '-ldflags',
      `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION.slice(1)}`,
      `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`,
    ],
    {
      stdio: ['ignore', 2, 'inherit'], // stdout carries the resulting path only
      env: { ...process.env, GOBIN: bindir, CGO_ENABLED: '0', GOFLAGS: process.env.GOFLAGS || '-mod=mod' },
    },
  );
  if (r.status !== 0 || !isExecutable(cachedBinary)) {
    say(`go install failed (exit ${r.status}).`);
    return false;
  }
  say(`built in ${Math.round((Date.now() - started) / 1000)} s -> ${cachedBinary}`);
  return true;
}

async function officialDownload() {
  const os = platform() === 'darwin' ? 'darwin' : platform() === 'win32' ? 'windows' : 'linux';
  const cpu = arch() === 'arm64' ? 'arm64' : 'amd64';
  const url = `https://temporal.download/cli/archive/${TEMPORAL_CLI_VERSION}?platform=${os}&arch=${cpu}`;
  say(`trying the official download ${url} ...`);
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(20000) });
    if (!res.ok) {
      say(`download refused: HTTP ${res.status}`);
      return false;
    }
    const archive = join(tmpdir(), `temporal-cli-${process.pid}.tar.gz`);
    writeFileSync(archive, Buffer.from(await res.arrayBuffer()));
    mkdirSync(dirname(cachedBinary), { recursive: true });
    const r = spawnSync('tar', ['-xzf', archive, '-C', dirname(cachedBinary), 'temporal'], { stdio: ['ignore', 2, 'inherit'] });
    return r.status === 0 && isExecutable(cachedBinary);
  } catch (err) {
    say(`download failed: ${err.cause?.code || err.message}`);
    return false;
  }
}

function remember(path) {
  try {
    mkdirSync(dirname(userCacheBinary), { recursive: true });
    const tmp = `${userCacheBinary}.${process.pid}`;
    copyFileSync(path, tmp);
    chmodSync(tmp, 0o755);
    renameSync(tmp, userCacheBinary);
  } catch {
    /* best effort: the project-local copy is enough */
  }
}

export async function ensureTemporalCli() {
  if (process.env.TEMPORAL_CLI_PATH) {
    const p = resolve(process.env.TEMPORAL_CLI_PATH);
    if (isExecutable(p)) {
      say(`using TEMPORAL_CLI_PATH=${p}`);
      return p;
    }
    say(`TEMPORAL_CLI_PATH=${p} is not an executable file; looking elsewhere.`);
  }
  const fromPath = onPath('temporal');
  if (fromPath && answersVersion(fromPath)) {
    say(`using temporal from PATH: ${fromPath}`);
    return fromPath;
  }
  if (isExecutable(cachedBinary) && answersVersion(cachedBinary)) {
    say(`using cached build ${cachedBinary}`);
    return cachedBinary;
  }
  if (isExecutable(userCacheBinary) && answersVersion(userCacheBinary)) {
    mkdirSync(dirname(cachedBinary), { recursive: true });
    copyFileSync(userCacheBinary, cachedBinary);
    chmodSync(cachedBinary, 0o755);
    say(`restored cached build from ${userCacheBinary}`);
    return cachedBinary;
  }
  say('no Temporal CLI found; building it from source.');
  if (buildWithGo() || (await officialDownload())) {
    remember(cachedBinary);
    return cachedBinary;
  }
  const help = [
    'Could not make the Temporal CLI available. Options, in the order they are tried:',
    '  1. set TEMPORAL_CLI_PATH to an existing `temporal` executable;',
    '  2. put `temporal` on your PATH;',
    `  3. place a build at ${cachedBinary};`,
    `  4. install Go >= 1.21 (it fetches the 1.25 toolchain through the module proxy) so that`,
    `     \`go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}\` can run;`,
    '  5. on a machine with internet access, the official download from temporal.download.',
  ].join('\n');
  process.stderr.write(help + '\n');
  process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const p = await ensureTemporalCli();
  process.stdout.write(p + '\n');
}
