import { chmodSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { extname, join, resolve } from 'node:path';
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
 * Where `tenants add` keeps typed secrets: LUCCA_CONNECTORS_SECRETS_DIR, else the user's config
 * directory. Never next to the config file by default: a config directory ends up in repositories,
 * build contexts and ConfigMaps, and the repo's config/ is the sandbox's.
 */
export function secretsDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LUCCA_CONNECTORS_SECRETS_DIR) return resolve(env.LUCCA_CONNECTORS_SECRETS_DIR);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'lucca-connectors', 'secrets');
}

/**
 * Where this config's typed secrets go: its `secrets.directory` (the one directory besides its own
 * that `file:` references may point into), else secretsDirFromEnv() — which configWithTenant then
 * names as `secrets.directory`, so the workers may read it.
 */
export function typedSecretsDirOf(loaded: LoadedConfig, env: NodeJS.ProcessEnv = process.env): string {
  const configured = loaded.config.secrets.directory;
  return configured ? resolve(loaded.baseDir, configured) : secretsDirFromEnv(env);
}

/**
 * Keeps a secret typed at the prompt in a file (mode 600, directory 700) and returns its absolute
 * reference: the config never holds the value, and workers read the file themselves (no restart,
 * unlike an environment variable).
 */
export function storeSecret(secretsDir: string, tenantId: string, name: string, value: string): string {
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const file = join(secretsDir, `${tenantId}-${name}`);
  writeFileSync(file, value.trim() + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return `file:${file}`;
}

/**
 * The config text with the tenant appended (YAML comments and layout kept), validated as a whole:
 * a ConfigError (same messages as at start-up) leaves the file untouched.
 */
export function configWithTenant(current: LoadedConfig, text: string, tenant: NewTenant, secretsDirectory?: string): string {
  const entry = JSON.parse(JSON.stringify(tenant)) as Record<string, unknown>;
  // Typed secrets were stored outside the config's directory: name it, or every reference is refused.
  const addDirectory = secretsDirectory !== undefined && !current.config.secrets.directory;
  let next: string;
  if (extname(current.path) === '.json') {
    const raw = JSON.parse(text) as { tenants?: unknown[]; secrets?: Record<string, unknown> };
    raw.tenants = [...(raw.tenants ?? []), entry];
    if (addDirectory) raw.secrets = { ...raw.secrets, directory: secretsDirectory };
    next = JSON.stringify(raw, null, 2) + '\n';
  } else {
    const doc = parseDocument(text);
    if (addDirectory) doc.setIn(['secrets', 'directory'], secretsDirectory);
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
