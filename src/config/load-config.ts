import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { configSchema, type ConnectorsConfig } from './config-schema';
import { deploymentSecretReuseProblems } from './deployment-secret-reuse';

/** The sandbox's config, for `npm start`, the npm scripts and the tests; never a silent default. */
export const SANDBOX_CONFIG_PATH = resolve(__dirname, '../../config/sandbox.yaml');

export interface LoadedConfig {
  config: ConnectorsConfig;
  /** Absolute path of the file, used to resolve `file:` secret references relative to it. */
  path: string;
  baseDir: string;
  /** SHA-256 of the text this config was parsed from: what a reloader compares the file with. */
  digest: string;
}

/** Thrown at start-up; lists every bad field with its path. Never echoes field values. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly path: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration ${path}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * No variable, no config: a production process that fell back to the sandbox's config would run
 * its payload key and tenants. One line, printed as is by every entry point (a ConfigError).
 */
export class ConfigNotChosenError extends ConfigError {
  constructor() {
    super('(none)', ['LUCCA_CONNECTORS_CONFIG is not set']);
    this.message =
      "LUCCA_CONNECTORS_CONFIG is not set: point it at this deployment's config file (config/sandbox.yaml is the sandbox's, for `npm start` and the tests)";
  }
}

export function configPathFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  if (!env.LUCCA_CONNECTORS_CONFIG) throw new ConfigNotChosenError();
  return resolve(env.LUCCA_CONNECTORS_CONFIG);
}

export function loadConfig(path: string = configPathFromEnv()): LoadedConfig {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (err) {
    throw new ConfigError(absolute, [`cannot read file (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  return parseConfigText(text, absolute);
}

export function parseConfigText(text: string, path: string): LoadedConfig {
  let raw: unknown;
  try {
    raw = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    // YAML/JSON parser messages quote a line of the file; keep only the position so no secret leaks.
    const linePos = (err as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    throw new ConfigError(path, [
      `not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}${linePos ? ` at line ${linePos.line}, column ${linePos.col}` : ''}`,
    ]);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${formatPath(issue.path)}: ${safeMessage(issue)}`);
    throw new ConfigError(path, problems);
  }
  const reused = deploymentSecretReuseProblems(result.data, dirname(path));
  if (reused.length > 0) throw new ConfigError(path, reused);
  return { config: result.data, path, baseDir: dirname(path), digest: textDigest(text) };
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** zod messages may quote the received value (e.g. an inline secret); keep ours, drop values. */
function safeMessage(issue: { code: string; message: string; keys?: string[]; expected?: string }): string {
  if (issue.code === 'unrecognized_keys' && issue.keys) return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_type')
    return /received undefined/.test(issue.message) ? 'is required' : `must be of type ${issue.expected ?? 'another type'}`;
  if (issue.code === 'invalid_value') return 'value is not one of the allowed options';
  return issue.message.replace(/received .*/i, '').trim() || 'invalid value';
}

/** The digest of a config text, so a reload compares the file with what was actually loaded. */
export function textDigest(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}
