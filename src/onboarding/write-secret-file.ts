import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

/** The path of a `file:` secret reference (relative to the config file's directory), or undefined for other references. */
export function secretFilePath(reference: string, configDir: string): string | undefined {
  if (!reference.startsWith('file:')) return undefined;
  const raw = reference.slice(5);
  return isAbsolute(raw) ? raw : resolve(configDir, raw);
}

/** Writes a secret readable by its owner only (the directory is created owner-only when missing). */
export function writeSecretFile(path: string, value: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
}
