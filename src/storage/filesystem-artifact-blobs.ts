import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { ArtifactBlobs } from './artifact-blobs';
import { StoreNotReadyError } from './artifact-store';

const SUFFIX = '.json.gz';
const KEYS_DIR = '.tenant-keys';

/**
 * Artifacts as files under one directory: the embedded default of `npm start`. Single machine only:
 * a worker on another machine does not see these files (use the PostgreSQL store there).
 * The file's modification time is its write time, for retention.
 */
export class FilesystemArtifactBlobs implements ArtifactBlobs {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  get location(): string {
    return this.root;
  }

  async write(key: string, _tenantId: string, bytes: Buffer, writtenAt: Date): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, bytes);
    await utimes(tmp, writtenAt, writtenAt);
    await rename(tmp, path); // atomic: a retried activity never sees half a file
  }

  async read(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async writtenAt(key: string): Promise<Date | undefined> {
    try {
      return (await stat(this.pathOf(key))).mtime;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async keys(prefix: string): Promise<string[]> {
    return (await this.files(this.dirOf(prefix))).map((f) => `${prefix}/${f.slice(0, -SUFFIX.length)}`).sort();
  }

  async keysWrittenBefore(cutoff: Date): Promise<string[]> {
    const expired: string[] = [];
    for (const file of await this.files(this.root)) {
      const info = await stat(join(this.root, file)).catch(() => undefined);
      if (info && info.mtime < cutoff) expired.push(file.split(sep).join('/').slice(0, -SUFFIX.length));
    }
    return expired.sort();
  }

  async remove(prefix: string): Promise<void> {
    await rm(this.dirOf(prefix), { recursive: true, force: true });
    await rm(this.pathOf(prefix), { force: true });
  }

  async removeKeys(keys: string[]): Promise<void> {
    for (const key of keys) await rm(this.pathOf(key), { force: true });
  }

  async tenantKeyMaterial(tenantId: string, create: boolean): Promise<Buffer | undefined> {
    const path = join(this.root, KEYS_DIR, tenantId);
    const existing = await this.readKey(path);
    if (existing || !create) return existing;
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, randomBytes(32), { mode: 0o600 });
    // link() fails if another process created it first: everyone ends up with the same material.
    await link(tmp, path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
    await rm(tmp, { force: true });
    return this.readKey(path);
  }

  async dropTenant(tenantId: string): Promise<number> {
    // A tombstone (empty file), not a deleted one: no process creates new material for the tenant.
    await mkdir(join(this.root, KEYS_DIR), { recursive: true, mode: 0o700 });
    await writeFile(join(this.root, KEYS_DIR, tenantId), Buffer.alloc(0), { mode: 0o600 });
    let removed = 0;
    for (const connector of await readdir(this.root).catch(() => [] as string[])) {
      if (connector.startsWith('.')) continue;
      const dir = join(this.root, connector, tenantId);
      removed += (await this.files(dir)).length;
      await rm(dir, { recursive: true, force: true });
    }
    return removed;
  }

  async migrate(): Promise<string> {
    await mkdir(this.root, { recursive: true });
    return `filesystem store ${this.root}: directory ready (single machine only)`;
  }

  /** The embedded store needs no set-up: the directory is created, it only has to be writable. */
  async check(): Promise<void> {
    try {
      await mkdir(this.root, { recursive: true });
      await access(this.root, constants.W_OK);
    } catch {
      throw new StoreNotReadyError(
        `the artifact directory ${this.root} cannot be created or is not writable (LUCCA_CONNECTORS_DATA_DIR or storage.dir chooses it)`,
      );
    }
  }

  async close(): Promise<void> {}

  private async readKey(path: string): Promise<Buffer | undefined> {
    try {
      return await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  private async files(dir: string): Promise<string[]> {
    try {
      const entries = await readdir(dir, { recursive: true });
      return entries.filter((e) => e.endsWith(SUFFIX) && !e.startsWith(KEYS_DIR));
    } catch {
      return [];
    }
  }

  private pathOf(key: string): string {
    return `${this.dirOf(key)}${SUFFIX}`;
  }

  /** Keys were validated above; this is the last guard against escaping the root. */
  private dirOf(key: string): string {
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new RangeError(`invalid artifact key ${key}`);
    return path;
  }
}
