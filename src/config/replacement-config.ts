import { isDeepStrictEqual } from 'node:util';
import { ConfigError, loadConfig, type LoadedConfig } from './load-config';
import { resolveSecret } from './secret-reference';
import { secretConfinementOf } from './secret-confinement';
import { tenantSecretReferences } from './tenant-secret-references';

/**
 * Validates a changed config file before a running process adopts it: the same schema and messages
 * as at start-up, plus what only a running process can check — every secret reference resolves here,
 * and the sections that need a restart (payload keys, Temporal connection, store) are unchanged. Any problem
 * refuses the whole file; the caller keeps the config it runs.
 */
export function loadReplacementConfig(path: string, current: LoadedConfig, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const next = loadConfig(path, current.sections);
  const problems: string[] = [];
  for (const section of ['encryption', 'temporal', 'storage'] as const) {
    if (!isDeepStrictEqual(current.config[section], next.config[section])) {
      problems.push(`${section}: changes here need a restart of every process (the running configuration is kept)`);
    }
  }
  next.config.tenants.forEach((tenant, index) => {
    for (const [field, reference] of tenantSecretReferences(tenant, next.sections)) {
      try {
        resolveSecret(reference, next.baseDir, env, secretConfinementOf(next));
      } catch (err) {
        problems.push(`tenants[${index}].${field}: ${(err as Error).message}`);
      }
    }
  });
  if (problems.length > 0) throw new ConfigError(next.path, problems);
  return next;
}
