import { chmodSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseDocument, YAMLSeq } from 'yaml';
import { parseConfigText, type LoadedConfig } from '../config/load-config';

/** What `tenants add` asks for; secrets are references (`env:NAME`, `file:PATH`) by the time they get here. */
export interface NewTenant {
  id: string;
  timeZone?: string;
  lucca: { baseUrl: string; apiKey: string };
  elevo?: { baseUrl: string; token: string };
  aequivalent?: { baseUrl: string; apiKey: string; webhookSecret: string };
}

const REFERENCE = /^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+)$/;
export const isSecretReference = (value: string): boolean => REFERENCE.test(value);

/**
 * Keeps a secret typed at the prompt in a file next to the config (mode 600) and returns its
 * reference: the config never holds the value, and workers read the file themselves (no restart,
 * unlike an environment variable).
 */
export function storeSecret(configDir: string, tenantId: string, name: string, value: string): string {
  const dir = join(configDir, 'secrets');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${tenantId}-${name}`);
  writeFileSync(file, value.trim() + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return `file:secrets/${tenantId}-${name}`;
}

/**
 * The config text with the tenant appended (YAML comments and layout kept), validated as a whole:
 * a ConfigError (same messages as at start-up) leaves the file untouched.
 */
export function configWithTenant(current: LoadedConfig, text: string, tenant: NewTenant): string {
  const entry = JSON.parse(JSON.stringify(tenant)) as Record<string, unknown>;
  let next: string;
  if (extname(current.path) === '.json') {
    const raw = JSON.parse(text) as { tenants?: unknown[] };
    raw.tenants = [...(raw.tenants ?? []), entry];
    next = JSON.stringify(raw, null, 2) + '\n';
  } else {
    const doc = parseDocument(text);
    const tenants = doc.get('tenants');
    if (tenants instanceof YAMLSeq) tenants.add(doc.createNode(entry));
    else doc.set('tenants', doc.createNode([entry]));
    next = doc.toString();
  }
  parseConfigText(next, current.path);
  return next;
}

/** Write-then-rename, so a watching worker never reads half a file. */
export function writeConfigAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: statSync(path).mode & 0o777 });
  renameSync(tmp, path);
}
