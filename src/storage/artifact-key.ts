/**
 * Artifact keys are `<connector>/<tenant id>/<path…>`: plain relative paths of safe characters
 * (they become file names), whose second segment names the tenant the artifact belongs to (its
 * encryption key, its erasure and its crypto-shredding follow from it).
 */
export class ArtifactKeyError extends RangeError {
  override readonly name = 'ArtifactKeyError';
}

// No segment starts with a dot: the stores keep their own files (tenant key material) under dot names.
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export function validArtifactKey(key: string): string {
  const segments = key.split('/');
  if (segments.length < 3 || segments.some((s) => !SEGMENT.test(s))) {
    throw new ArtifactKeyError(`invalid artifact key ${key} (expected <connector>/<tenant>/<name>)`);
  }
  return key;
}

/** A prefix to list or remove: at least the connector segment. */
export function validArtifactPrefix(prefix: string): string {
  const segments = prefix.split('/');
  if (segments.some((s) => !SEGMENT.test(s))) throw new ArtifactKeyError(`invalid artifact prefix ${prefix}`);
  return prefix;
}

export function tenantOfArtifact(key: string): string {
  return validArtifactKey(key).split('/')[1]!;
}

/**
 * Records kept across runs rather than run artifacts: the last successful population holds counts
 * only (no personal data) and is what the population-drop check compares to, so retention must not
 * switch that check off for a tenant that has not succeeded for a while.
 */
export function isKeptAcrossRuns(key: string): boolean {
  return key.endsWith('/last-success');
}
