#!/usr/bin/env node
// Helm (renders and lints deploy/helm/lucca-connectors), built from the Go module proxy and cached
// per user. Prints its path; exits 1 when it cannot be built.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureGoTool } from './ensure-go-tool.mjs';

export const HELM = { name: 'helm', pkg: 'helm.sh/helm/v3/cmd/helm', version: 'v3.21.4' };
export const ensureHelm = () => ensureGoTool(HELM);

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const path = ensureHelm();
  if (!path) process.exit(1);
  process.stdout.write(`${path}\n`);
}
