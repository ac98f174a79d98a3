import { promisify } from 'node:util';
import { constants, gunzip, gzip } from 'node:zlib';
import { isSealedArtifact, type ArtifactCipher } from '../codec/artifact-cipher';
import type { ArtifactBlobs } from './artifact-blobs';
import { isKeptAcrossRuns, tenantOfArtifact, validArtifactKey, validArtifactPrefix } from './artifact-key';
import { forgetDerivedKeys } from '../codec/derived-key-cache';
import { MissingArtifactError, StoreNotReadyError, TenantShreddedError, type ArtifactStore } from './artifact-store';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export class UnsealedArtifactError extends Error {
  override readonly name = 'UnsealedArtifactError';
}

/**
 * The artifact store over any backend: JSON, gzip, then sealed per tenant when a cipher is given.
 * With a cipher, anything not sealed is refused (a plain file dropped into the store must not be
 * read as a held run's batch); without one (tests only: the config requires keys), plain gzip.
 */
/**
 * How long a process trusts the tenant key material it read: after this, it reads it again, and a
 * tenant shredded meanwhile (by any process: the CLI, another machine) is gone from this one. The
 * bound on "shredded everywhere": workers, CLI and codec server stop opening and sealing a shredded
 * tenant's data within this lifetime (plus the operation in flight).
 */
export const KEY_MATERIAL_CACHE_MS = 30_000;

export class SealedArtifactStore implements ArtifactStore {
  private readonly keyMaterial = new Map<string, { material: Buffer; readAtMs: number }>();

  constructor(
    private readonly blobs: ArtifactBlobs,
    private readonly cipher?: ArtifactCipher,
    private readonly now: () => Date = () => new Date(),
    private readonly keyCacheMs: number = KEY_MATERIAL_CACHE_MS,
  ) {}

  get location(): string {
    return this.blobs.location;
  }

  async putJson(key: string, value: unknown, writtenAt: Date = this.now()): Promise<void> {
    const tenantId = tenantOfArtifact(key);
    // Fastest level: a 90,000-action plan is 55 MB of JSON, gzipped in 80 ms (3.7 MB) instead of
    // 290 ms (2.6 MB) at the default level, and workers write and read it on the run's critical path.
    const gz = await gzipAsync(Buffer.from(JSON.stringify(value)), { level: constants.Z_BEST_SPEED });
    const bytes = this.cipher
      ? this.cipher.seal(gz, { tenantId, artifactKey: key, tenantKeyMaterial: await this.material(tenantId, true) })
      : gz;
    await this.blobs.write(key, tenantId, bytes, writtenAt);
  }

  async rewriteJson(key: string, value: unknown): Promise<void> {
    await this.putJson(key, value, (await this.blobs.writtenAt(key)) ?? this.now());
  }

  async getJson<T>(key: string): Promise<T | undefined> {
    const tenantId = tenantOfArtifact(key);
    const bytes = await this.blobs.read(key);
    if (bytes === undefined) return undefined;
    let gz = bytes;
    if (this.cipher) {
      if (!isSealedArtifact(bytes))
        throw new UnsealedArtifactError(
          `artifact ${key} in ${this.location} is not sealed although encryption keys are configured: refused`,
        );
      const material = await this.material(tenantId, false);
      if (!material)
        throw new UnsealedArtifactError(`artifact ${key}: tenant ${tenantId} has no key material in ${this.location} (shredded?)`);
      gz = this.cipher.open(bytes, { tenantId, artifactKey: key, tenantKeyMaterial: material });
    } else if (isSealedArtifact(bytes)) {
      throw new UnsealedArtifactError(`artifact ${key} is sealed but no encryption keys are configured`);
    }
    return JSON.parse((await gunzipAsync(gz)).toString('utf8')) as T;
  }

  async requireJson<T>(key: string): Promise<T> {
    const value = await this.getJson<T>(key);
    if (value === undefined) throw new MissingArtifactError(`artifact ${key} is missing from ${this.location}`);
    return value;
  }

  list(prefix: string): Promise<string[]> {
    return this.blobs.keys(validArtifactPrefix(prefix));
  }

  remove(prefix: string): Promise<void> {
    return this.blobs.remove(validArtifactPrefix(prefix));
  }

  async purgeWrittenBefore(cutoff: Date): Promise<number> {
    const expired = (await this.blobs.keysWrittenBefore(cutoff)).filter((key) => !isKeptAcrossRuns(key));
    await this.blobs.removeKeys(expired);
    return expired.length;
  }

  tenantKeyMaterial(tenantId: string, create: boolean): Promise<Buffer | undefined> {
    validArtifactKey(`x/${tenantId}/x`);
    return this.material(tenantId, create);
  }

  /** Leaves a tombstone (empty material) that every process reads within KEY_MATERIAL_CACHE_MS; nothing creates new material for the tenant afterwards. */
  async shredTenant(tenantId: string): Promise<number> {
    validArtifactKey(`x/${tenantId}/x`);
    this.forget(tenantId);
    return this.blobs.dropTenant(tenantId);
  }

  migrate(): Promise<string> {
    return this.blobs.migrate();
  }

  check(): Promise<void> {
    return this.blobs.check();
  }

  async schemaProblem(): Promise<string | undefined> {
    try {
      await this.blobs.check();
      return undefined;
    } catch (err) {
      if (err instanceof StoreNotReadyError) return err.message;
      throw err;
    }
  }

  close(): Promise<void> {
    return this.blobs.close();
  }

  private async material(tenantId: string, create: true): Promise<Buffer>;
  private async material(tenantId: string, create: boolean): Promise<Buffer | undefined>;
  private async material(tenantId: string, create: boolean): Promise<Buffer | undefined> {
    const cached = this.keyMaterial.get(tenantId);
    // Monotonic: a test's pinned `now` or a wall-clock jump must not keep material forever.
    if (cached && performance.now() - cached.readAtMs < this.keyCacheMs) return cached.material;
    const material = await this.blobs.tenantKeyMaterial(tenantId, create);
    if (material?.length === 0) {
      this.forget(tenantId);
      throw new TenantShreddedError(`tenant "${tenantId}" was shredded: its key material is destroyed and none is created again`);
    }
    if (cached && !(material && material.equals(cached.material))) this.forget(tenantId);
    if (material) this.keyMaterial.set(tenantId, { material, readAtMs: performance.now() });
    return material;
  }

  /** Drops the cached material and wipes it (and the keys derived from it) from this process's memory. */
  private forget(tenantId: string): void {
    const cached = this.keyMaterial.get(tenantId);
    this.keyMaterial.delete(tenantId);
    if (cached) forgetDerivedKeys(cached.material);
  }
}
