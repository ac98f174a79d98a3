import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { z } from 'zod';
import type { configSchemaFor } from '../../src/config/config-schema';
import type { TenantInput } from './tenant-sections-yaml';

/** A whole config file as an operator writes it (defaults may be left out; secrets are references). */
export type ConfigFile = Omit<z.input<ReturnType<typeof configSchemaFor>>, 'tenants'> & { tenants: TenantInput[] };

/** Writes `config` as YAML at `path` and returns the path: tests state their config as a typed object. */
export function writeConfigFile(path: string, config: ConfigFile): string {
  writeFileSync(path, stringify(config, { lineWidth: 0, aliasDuplicateObjects: false }));
  return path;
}
