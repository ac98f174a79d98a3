import { mkdir, readFile, rename, rm, writeFile, readdir } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * Claim-check store for run artifacts too large for workflow history (populations, plans, batch
 * results, reports). Workflows carry only the key. Keys are opaque (tenant id, run id, name) so
 * no personal data leaks into history; content is gzip-compressed JSON and, when a cipher is
 * given, encrypted at rest.
 */
export interface ArtifactCipher {
  encrypt(plain: Buffer): Promise<Buffer>;
  decrypt(sealed: Buffer): Promise<Buffer>;
}

export class ArtifactStore {
  readonly root: string;

  constructor(root: string, private readonly cipher?: ArtifactCipher) {
    this.root = resolve(root);
  }

  async putJson(key: string, value: unknown): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const gz = await gzipAsync(Buffer.from(JSON.stringify(value)));
    const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, this.cipher ? await this.cipher.encrypt(gz) : gz);
    await rename(tmp, path); // atomic: a retried activity never sees half a file
  }

  async getJson<T>(key: string): Promise<T | undefined> {
    const path = this.pathOf(key);
    let sealed: Buffer;
    try {
      sealed = await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    // Artifacts written before encryption was configured are plain gzip (magic 1f 8b): still readable.
    const isPlainGzip = sealed[0] === 0x1f && sealed[1] === 0x8b;
    const gz = this.cipher && !isPlainGzip ? await this.cipher.decrypt(sealed) : sealed;
    return JSON.parse((await gunzipAsync(gz)).toString('utf8')) as T;
  }

  async requireJson<T>(key: string): Promise<T> {
    const value = await this.getJson<T>(key);
    if (value === undefined) throw new Error(`artifact ${key} is missing from ${this.root}`);
    return value;
  }

  async list(prefix: string): Promise<string[]> {
    try {
      const entries = await readdir(this.dirOf(prefix), { recursive: true });
      return entries.filter((e) => e.endsWith('.json.gz')).map((e) => `${prefix}/${e.slice(0, -'.json.gz'.length)}`).sort();
    } catch {
      return [];
    }
  }

  async remove(prefix: string): Promise<void> {
    await rm(this.dirOf(prefix), { recursive: true, force: true });
    await rm(this.pathOf(prefix), { force: true });
  }

  private pathOf(key: string): string {
    return `${this.dirOf(key)}.json.gz`;
  }

  /** Keys are plain relative paths; anything that could escape the root is refused. */
  private dirOf(key: string): string {
    if (!/^[A-Za-z0-9._\-/]+$/.test(key) || key.includes('..')) throw new RangeError(`invalid artifact key ${key}`);
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new RangeError(`invalid artifact key ${key}`);
    return path;
  }
}
