#!/usr/bin/env node
// The Kubernetes API's OpenAPI v3 documents (api/openapi-spec/v3 of the k8s.io/kubernetes module),
// from the Go module proxy into Go's module cache: `go mod download` fetches the module's zip and
// builds nothing. The chart's rendered manifests are validated against them offline. Prints the
// directory; exits 1 when Go or the module is not available.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const KUBERNETES_VERSION = 'v1.34.3'; // the API the chart is checked against (chart: kubeVersion >= 1.27)

export function ensureKubernetesOpenApi() {
  const say = (msg) => process.stderr.write(`[kubernetes-openapi] ${msg}\n`);
  const r = spawnSync('go', ['mod', 'download', '-json', `k8s.io/kubernetes@${KUBERNETES_VERSION}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, GOFLAGS: '-mod=mod' },
  });
  if (r.error || r.status !== 0) {
    say(`go mod download k8s.io/kubernetes@${KUBERNETES_VERSION} failed (${r.error?.message ?? `exit ${r.status}`})`);
    return undefined;
  }
  let dir;
  try {
    dir = JSON.parse(r.stdout).Dir;
  } catch {
    dir = undefined;
  }
  const specs = dir && join(dir, 'api', 'openapi-spec', 'v3');
  if (!specs || !existsSync(specs)) {
    say('the module has no api/openapi-spec/v3');
    return undefined;
  }
  return specs;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = ensureKubernetesOpenApi();
  if (!dir) process.exit(1);
  process.stdout.write(`${dir}\n`);
}
