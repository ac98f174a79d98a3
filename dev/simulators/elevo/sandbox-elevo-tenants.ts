import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from '../../repo-root';

/** Where the sandbox-only secrets live (`<tenant>-elevo.token`), shared with config/sandbox.yaml. */
export const SANDBOX_SECRETS_DIR = resolve(repoRoot(), 'config/sandbox-secrets');

/** Reads the sandbox Elevo tokens so the simulator and the config never hold two copies. */
export function readSandboxElevoTenants(dir: string = SANDBOX_SECRETS_DIR): { tenantId: string; token: string }[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('-elevo.token'))
    .sort()
    .map((name) => ({ tenantId: name.slice(0, -'-elevo.token'.length), token: readFileSync(join(dir, name), 'utf8').trim() }));
}
