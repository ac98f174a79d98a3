/**
 * What a storage backend provides to the sealed artifact store: opaque bytes by key, the write time
 * (for retention) and each tenant's key material. Sealing, compression and JSON stay above it, in
 * one place (sealed-artifact-store.ts), so both backends refuse and accept exactly the same data.
 */
export interface ArtifactBlobs {
  readonly location: string;
  write(key: string, tenantId: string, bytes: Buffer, writtenAt: Date): Promise<void>;
  read(key: string): Promise<Buffer | undefined>;
  /** When `key` was written (retention counts from it), or undefined when absent. */
  writtenAt(key: string): Promise<Date | undefined>;
  /** Keys under `prefix/`, sorted. */
  keys(prefix: string): Promise<string[]>;
  /** Keys written before `cutoff`. */
  keysWrittenBefore(cutoff: Date): Promise<string[]>;
  /** Removes `prefix` itself and everything under `prefix/`. */
  remove(prefix: string): Promise<void>;
  removeKeys(keys: string[]): Promise<void>;
  /** The tenant's random key material; created (once, whoever races) when `create`. */
  tenantKeyMaterial(tenantId: string, create: boolean): Promise<Buffer | undefined>;
  /** Destroys the tenant's key material first, then removes its artifacts; returns how many. */
  dropTenant(tenantId: string): Promise<number>;
  migrate(): Promise<string>;
  check(): Promise<void>;
  close(): Promise<void>;
}
