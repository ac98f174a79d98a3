import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
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

/** Resolves a reference; the error names the reference, never a value. */
export function resolveSecret(reference: string, baseDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (reference.startsWith('env:')) {
    const name = reference.slice(4);
    const value = env[name];
    if (!value) throw new SecretResolutionError(`environment variable ${name} (referenced as "${reference}") is not set`);
    return value.trim();
  }
  if (reference.startsWith('file:')) {
    const raw = reference.slice(5);
    const path = isAbsolute(raw) ? raw : resolve(baseDir, raw);
    try {
      const value = readFileSync(path, 'utf8').trim();
      if (!value) throw new SecretResolutionError(`secret file ${path} is empty`);
      return value;
    } catch (err) {
      if (err instanceof SecretResolutionError) throw err;
      throw new SecretResolutionError(`cannot read secret file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  throw new SecretResolutionError(`"${reference}" is not a secret reference`);
}
