// Builds a Go command-line tool from the Go module proxy (`go install module@version`) once per
// user, like the Temporal builds, and returns its path. Progress goes to stderr; the path alone to
// stdout when run as a script. No other host is contacted.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

const STDERR = 2; // go's own output goes to our stderr: stdout carries the path only

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function goOnPath() {
  for (const dir of (process.env.PATH || '').split(delimiter)) if (dir && isExecutable(join(dir, 'go'))) return join(dir, 'go');
  return undefined;
}

/** `{ name, pkg, version }`, e.g. `{ name: 'helm', pkg: 'helm.sh/helm/v3/cmd/helm', version: 'v3.21.4' }`; undefined when it cannot be built. */
export function ensureGoTool({ name, pkg, version }) {
  const say = (msg) => process.stderr.write(`[${name}] ${msg}\n`);
  const dir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lucca-connectors', `${name}-${version}`);
  const binary = join(dir, name);
  if (isExecutable(binary)) return binary;
  const go = goOnPath();
  if (!go) {
    say('Go toolchain not found on PATH; cannot build it.');
    return undefined;
  }
  const staging = `${dir}.build-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  say(`building ${pkg}@${version} with ${go} (minutes the first time; cached in ${dir})...`);
  const started = Date.now();
  const r = spawnSync(go, ['install', '-ldflags', '-s -w', `${pkg}@${version}`], {
    stdio: ['ignore', STDERR, 'inherit'],
    env: { ...process.env, GOBIN: staging, CGO_ENABLED: '0', GOFLAGS: process.env.GOFLAGS || '-mod=mod' },
  });
  if (r.status !== 0 || !isExecutable(join(staging, name))) {
    say(`go install failed (exit ${r.status}).`);
    rmSync(staging, { recursive: true, force: true });
    return undefined;
  }
  mkdirSync(dir, { recursive: true });
  renameSync(join(staging, name), binary); // atomic: a concurrent caller sees the whole file or none
  rmSync(staging, { recursive: true, force: true });
  say(`built in ${Math.round((Date.now() - started) / 1000)} s -> ${binary}`);
  return binary;
}
