import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { configSchemaFor, type ConnectorsConfig, type ConnectorSections } from './config-schema';
import { deploymentSecretReuseProblems } from './deployment-secret-reuse';
import { ConfigError, ConfigNotChosenError, type LoadedConfig } from './loaded-config';
import { CONNECTORS } from '../connectors/registry';
import type { ConnectorDefinition } from '../connectors/connector-definition';

export { ConfigError, ConfigNotChosenError, type LoadedConfig } from './loaded-config';

/** The sandbox's config, for `npm start`, the npm scripts and the tests; never a silent default. */
export const SANDBOX_CONFIG_PATH = resolve(__dirname, '../../config/sandbox.yaml');

export function configPathFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  if (!env.LUCCA_CONNECTORS_CONFIG) throw new ConfigNotChosenError();
  return resolve(env.LUCCA_CONNECTORS_CONFIG);
}

/** The config sections of these connectors, by config key: what a tenant entry may hold besides its Lucca and base fields. */
export function connectorSections(
  connectors: readonly Pick<ConnectorDefinition, 'configKey' | 'configSection'>[] = CONNECTORS,
): ConnectorSections {
  return Object.fromEntries(connectors.map((c) => [c.configKey, c.configSection]));
}

const schemas = new WeakMap<ConnectorSections, ReturnType<typeof configSchemaFor>>();
const schemaFor = (sections: ConnectorSections) => schemas.get(sections) ?? schemas.set(sections, configSchemaFor(sections)).get(sections)!;
const REGISTERED_SECTIONS = connectorSections();

/** Reads and validates a config file, with the registered connectors' sections (tests may add their own). */
export function loadConfig(path: string = configPathFromEnv(), sections: ConnectorSections = REGISTERED_SECTIONS): LoadedConfig {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (err) {
    throw new ConfigError(absolute, [`cannot read file (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  return parseConfigText(text, absolute, sections);
}

export function parseConfigText(text: string, path: string, sections: ConnectorSections = REGISTERED_SECTIONS): LoadedConfig {
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
  const result = schemaFor(sections).safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${formatPath(issue.path)}: ${safeMessage(issue)}`);
    throw new ConfigError(path, problems);
  }
  const config = result.data as unknown as ConnectorsConfig;
  const reused = deploymentSecretReuseProblems(config, sections, dirname(path));
  if (reused.length > 0) throw new ConfigError(path, reused);
  return { config, sections, path, baseDir: dirname(path), digest: textDigest(text) };
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
