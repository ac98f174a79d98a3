import { isDeepStrictEqual } from 'node:util';
import type { TenantConfig } from './config-schema';
import { ConfigError, loadConfig, type LoadedConfig } from './load-config';
import { resolveSecret } from './secret-reference';

/**
 * Validates a changed config file before a running process adopts it: the same schema and messages
 * as at start-up, plus what only a running process can check — every secret reference resolves here,
 * and the sections that need a restart (payload keys, Temporal connection, store) are unchanged. Any problem
 * refuses the whole file; the caller keeps the config it runs.
 */
export function loadReplacementConfig(path: string, current: LoadedConfig, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const next = loadConfig(path);
  const problems: string[] = [];
  for (const section of ['encryption', 'temporal', 'storage'] as const) {
    if (!isDeepStrictEqual(current.config[section], next.config[section])) {
      problems.push(`${section}: changes here need a restart of every process (the running configuration is kept)`);
    }
  }
  next.config.tenants.forEach((tenant, index) => {
    for (const [field, reference] of secretReferences(tenant)) {
      try {
        resolveSecret(reference, next.baseDir, env);
      } catch (err) {
        problems.push(`tenants[${index}].${field}: ${(err as Error).message}`);
      }
    }
  });
  if (problems.length > 0) throw new ConfigError(next.path, problems);
  return next;
}

function secretReferences(tenant: TenantConfig): Array<[string, string]> {
  const refs: Array<[string, string]> = [['lucca.apiKey', tenant.lucca.apiKey]];
  if (tenant.elevo) refs.push(['elevo.token', tenant.elevo.token]);
  if (tenant.aequivalent) refs.push(['aequivalent.apiKey', tenant.aequivalent.apiKey], ['aequivalent.webhookSecret', tenant.aequivalent.webhookSecret]);
  return refs;
}
