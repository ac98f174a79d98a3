import { PermanentError } from '../shared/permanent-error';
/**
 * Claim-check store for everything that outlives an activity and may be read by another process
 * (populations, plans, batches, batch results, run reports, the last successful population).
 * Workflows carry only the key. Keys are opaque (`<connector>/<tenant id>/…`: tenant, workflow id,
 * run id, name) so no personal data leaks into history; content is gzip-compressed JSON sealed with
 * the payload keys (see src/codec/artifact-cipher.ts).
 *
 * Two implementations behind this one interface (src/storage/create-artifact-store.ts picks one from
 * the config): the filesystem (embedded default, single machine only) and PostgreSQL (shared by
 * every worker, the CLI and the webhook receiver).
 */
export interface ArtifactStore {
  /** Where the artifacts live, for messages (never a password). */
  readonly location: string;
  putJson(key: string, value: unknown): Promise<void>;
  /** Rewrites an artifact keeping its write time: an erasure must not extend the retention of what stays. */
  rewriteJson(key: string, value: unknown): Promise<void>;
  getJson<T>(key: string): Promise<T | undefined>;
  /** Like getJson, but a missing artifact is an error naming the key and the store. */
  requireJson<T>(key: string): Promise<T>;
  /** Keys under `prefix/`, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removes the artifact `prefix` and every artifact under `prefix/`. */
  remove(prefix: string): Promise<void>;
  /** Retention: removes run artifacts written before `cutoff`; returns how many went. */
  purgeWrittenBefore(cutoff: Date): Promise<number>;
  /** The tenant's random key material (artifact and payload keys derive from it), created when `create`. */
  tenantKeyMaterial(tenantId: string, create: boolean): Promise<Buffer | undefined>;
  /** Crypto-shredding: destroys the tenant's key material, then its artifacts. */
  shredTenant(tenantId: string): Promise<number>;
  /** Creates or upgrades the store's schema (idempotent; run by `lucca-connectors setup`); one line saying what it did. */
  migrate(): Promise<string>;
  /** Cheap start-up check: throws StoreNotReadyError with one line naming the fix. */
  check(): Promise<void>;
  /** The same check as a value: undefined when ready, else that one line (no password). */
  schemaProblem(): Promise<string | undefined>;
  close(): Promise<void>;
}

export class StoreNotReadyError extends Error {
  override readonly name = 'StoreNotReadyError';
}

/** A shredded tenant: nothing of it opens or is sealed any more, on any retry. */
export class TenantShreddedError extends PermanentError {}

export class MissingArtifactError extends Error {
  override readonly name = 'MissingArtifactError';
}
