import { readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { PermanentError } from '../shared/permanent-error';

/**
 * Secrets are never written inline in the config: a field holds `env:NAME` or `file:PATH`.
 * The value is resolved in the worker/client process only and never enters a workflow payload.
 */
export const secretReferenceSchema = z
  .string()
  .regex(/^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+)$/, 'must be a secret reference "env:NAME" or "file:PATH" (never the secret itself)');

export type SecretReference = z.infer<typeof secretReferenceSchema>;

export class SecretResolutionError extends PermanentError {}

/** `env:` references name variables with this prefix unless the config says otherwise (`secrets.envPrefix`). */
export const DEFAULT_SECRET_ENV_PREFIX = 'LUCCA_CONNECTORS_';

/**
 * Where references may point: one edited config line must not send any file or environment variable
 * of the process (another service's key, /etc/…) to the host a tenant entry names. `file:` only under
 * these directories (symbolic links followed), `env:` only with this prefix.
 */
export interface SecretConfinement {
  directories: string[];
  envPrefix: string;
}

/** Resolves a reference inside its confinement (default: the config's directory, `LUCCA_CONNECTORS_`); the error names the reference, never a value. */
export function resolveSecret(
  reference: string,
  baseDir: string,
  env: NodeJS.ProcessEnv = process.env,
  confinement?: SecretConfinement,
): string {
  const allowed = confinement ?? { directories: [baseDir], envPrefix: DEFAULT_SECRET_ENV_PREFIX };
  if (reference.startsWith('env:')) return resolveEnv(reference, env, allowed.envPrefix);
  if (reference.startsWith('file:')) return resolveFile(reference, baseDir, allowed.directories);
  throw new SecretResolutionError(`"${reference}" is not a secret reference`);
}

function resolveEnv(reference: string, env: NodeJS.ProcessEnv, prefix: string): string {
  const name = reference.slice(4);
  if (!name.startsWith(prefix))
    throw new SecretResolutionError(
      `environment variable ${name} (referenced as "${reference}") is not one the connectors may read: names start with ${prefix} (secrets.envPrefix)`,
    );
  const value = env[name];
  if (!value) throw new SecretResolutionError(`environment variable ${name} (referenced as "${reference}") is not set`);
  return value.trim();
}

function resolveFile(reference: string, baseDir: string, directories: string[]): string {
  const raw = reference.slice(5);
  const path = isAbsolute(raw) ? raw : resolve(baseDir, raw);
  const outside = () =>
    new SecretResolutionError(
      `secret file ${path} (referenced as "${reference}") is outside the directories secrets may come from: the config's directory and secrets.directory`,
    );
  if (!directories.some((dir) => isInside(path, resolve(dir)))) throw outside();
  try {
    // Symbolic links are followed before the check holds: a link in the directory may not lead out of it.
    if (!directories.some((dir) => isInside(realpathSync(path), realpathOr(dir)))) throw outside();
    const value = readFileSync(path, 'utf8').trim();
    if (!value) throw new SecretResolutionError(`secret file ${path} is empty`);
    return value;
  } catch (err) {
    if (err instanceof SecretResolutionError) throw err;
    throw new SecretResolutionError(`cannot read secret file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

function realpathOr(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
  }
}
