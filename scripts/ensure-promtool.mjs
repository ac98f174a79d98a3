#!/usr/bin/env node
// Prometheus's promtool (checks and unit-tests the alert rules in deploy/prometheus), built from the
// Go module proxy and cached per user. Prints its path; exits 1 when it cannot be built.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureGoTool } from './ensure-go-tool.mjs';

export const PROMTOOL = { name: 'promtool', pkg: 'github.com/prometheus/prometheus/cmd/promtool', version: 'v0.316.0' };
export const ensurePromtool = () => ensureGoTool(PROMTOOL);

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const path = ensurePromtool();
  if (!path) process.exit(1);
  process.stdout.write(`${path}\n`);
}
