import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { operatorsYaml } from './test-operator';

/**
 * Writes `config.yaml` into `dir` for a test or a bench: a payload key (fresh unless given) in its own file (secrets
 * are references, never inline), the task queue, the test operator's public key (test-operator.ts), and
 * the tenants given as YAML list items.
 */
export function writeTestConfigFile(
  dir: string,
  options: { taskQueue: string; tenantsYaml: string | string[]; payloadKey?: string; payloadKeyId?: string; storageYaml?: string },
): { configPath: string; yaml: string } {
  writeFileSync(join(dir, 'payload.key'), options.payloadKey ?? randomBytes(32).toString('base64'));
  const tenants = Array.isArray(options.tenantsYaml) ? options.tenantsYaml.join('\n') : options.tenantsYaml;
  // Tests poll Aequivalent every few seconds: the production floor (5 minutes) is lowered explicitly.
  const limits = 'limits: { minPollIntervalMinutes: 0.01 }';
  const yaml =
    [
      `encryption: { keys: [ { id: ${options.payloadKeyId ?? 'k1'}, key: "file:payload.key" } ] }`,
      ...(options.storageYaml ? [options.storageYaml] : []),
      `temporal: { taskQueue: ${options.taskQueue} }`,
      limits,
      operatorsYaml(),
      'tenants:',
      tenants,
    ].join('\n') + '\n';
  const configPath = join(dir, 'config.yaml');
  writeFileSync(configPath, yaml);
  return { configPath, yaml };
}
