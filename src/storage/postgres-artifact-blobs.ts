import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { runner } from 'node-pg-migrate';
import { Pool, type DatabaseError } from 'pg';
import type { ArtifactBlobs } from './artifact-blobs';
import { StoreNotReadyError } from './artifact-store';

const MIGRATIONS_TABLE = 'store_migrations';
/** Next to the sources (`tsx`, jest) or one level further up in the compiled `dist/src/storage`. */
export const STORE_MIGRATIONS_DIR =
  [resolve(__dirname, '../../migrations/store'), resolve(__dirname, '../../../migrations/store')].find((dir) => existsSync(dir)) ??
  resolve(__dirname, '../../migrations/store');

/**
 * Artifacts in PostgreSQL: one store shared by every worker, the CLI and the webhook receiver,
 * whichever machine they run on. Schema changes are versioned SQL files in migrations/store,
 * applied by node-pg-migrate (under an advisory lock, so concurrent `setup`s are safe).
 */
export class PostgresArtifactBlobs implements ArtifactBlobs {
  readonly location: string;
  private readonly pool: Pool;

  constructor(url: string) {
    this.pool = new Pool({ connectionString: url, max: 10 });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.location = describe(url);
  }

  async write(key: string, tenantId: string, bytes: Buffer, writtenAt: Date): Promise<void> {
    await this.query(
      `INSERT INTO artifacts (key, tenant_id, content, written_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, content = EXCLUDED.content, written_at = EXCLUDED.written_at`,
      [key, tenantId, bytes, writtenAt],
    );
  }

  async read(key: string): Promise<Buffer | undefined> {
    const { rows } = await this.query<{ content: Buffer }>('SELECT content FROM artifacts WHERE key = $1', [key]);
    return rows[0]?.content;
  }

  async writtenAt(key: string): Promise<Date | undefined> {
    const { rows } = await this.query<{ written_at: Date }>('SELECT written_at FROM artifacts WHERE key = $1', [key]);
    return rows[0]?.written_at;
  }

  async keys(prefix: string): Promise<string[]> {
    const { rows } = await this.query<{ key: string }>('SELECT key FROM artifacts WHERE key LIKE $1 ORDER BY key', [
      `${likeEscape(prefix)}/%`,
    ]);
    return rows.map((r) => r.key);
  }

  async keysWrittenBefore(cutoff: Date): Promise<string[]> {
    const { rows } = await this.query<{ key: string }>('SELECT key FROM artifacts WHERE written_at < $1 ORDER BY key', [cutoff]);
    return rows.map((r) => r.key);
  }

  async remove(prefix: string): Promise<void> {
    await this.query('DELETE FROM artifacts WHERE key = $1 OR key LIKE $2', [prefix, `${likeEscape(prefix)}/%`]);
  }

  async removeKeys(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.query('DELETE FROM artifacts WHERE key = ANY($1)', [keys]);
  }

  async tenantKeyMaterial(tenantId: string, create: boolean): Promise<Buffer | undefined> {
    if (create) {
      // Whoever inserts first wins; everyone reads the winner's material.
      await this.query('INSERT INTO artifact_tenant_keys (tenant_id, material) VALUES ($1, $2) ON CONFLICT (tenant_id) DO NOTHING', [
        tenantId,
        randomBytes(32),
      ]);
    }
    const { rows } = await this.query<{ material: Buffer }>('SELECT material FROM artifact_tenant_keys WHERE tenant_id = $1', [tenantId]);
    return rows[0]?.material;
  }

  async dropTenant(tenantId: string): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // A tombstone (empty material), not a deleted row: no process creates new material for the tenant.
      await client.query(
        'INSERT INTO artifact_tenant_keys (tenant_id, material) VALUES ($1, $2) ON CONFLICT (tenant_id) DO UPDATE SET material = $2',
        [tenantId, Buffer.alloc(0)],
      );
      const { rowCount } = await client.query('DELETE FROM artifacts WHERE tenant_id = $1', [tenantId]);
      await client.query('COMMIT');
      return rowCount ?? 0;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async migrate(): Promise<string> {
    const client = await this.connect();
    try {
      const applied = await runner({
        dbClient: client,
        dir: STORE_MIGRATIONS_DIR,
        direction: 'up',
        migrationsTable: MIGRATIONS_TABLE,
        count: Infinity,
        singleTransaction: true,
        checkOrder: true,
        log: () => undefined,
      });
      return applied.length === 0
        ? `store ${this.location}: schema up to date`
        : `store ${this.location}: applied ${applied.map((m) => m.name).join(', ')}`;
    } finally {
      client.release();
    }
  }

  /** One query: the schema exists and every migration shipped with this version is applied. */
  async check(): Promise<void> {
    let applied: Set<string>;
    try {
      const { rows } = await this.pool.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE}`);
      applied = new Set(rows.map((r) => r.name));
    } catch (err) {
      if ((err as DatabaseError).code === '42P01')
        throw new StoreNotReadyError(`the artifact store ${this.location} has no schema: run \`lucca-connectors setup\``);
      throw unreachable(this.location, err);
    }
    const missing = shippedMigrations().filter((name) => !applied.has(name));
    if (missing.length > 0)
      throw new StoreNotReadyError(
        `the artifact store ${this.location} lacks migration ${missing.join(', ')}: run \`lucca-connectors setup\``,
      );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async connect() {
    try {
      return await this.pool.connect();
    } catch (err) {
      throw unreachable(this.location, err);
    }
  }

  private async query<R extends object = never>(sql: string, params: unknown[]) {
    return this.pool.query<R>(sql, params);
  }
}

function shippedMigrations(): string[] {
  return readdirSync(STORE_MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.slice(0, -'.sql'.length))
    .sort();
}

function unreachable(location: string, err: unknown): StoreNotReadyError {
  const code = (err as { code?: string }).code ?? 'error';
  if (code === '3D000')
    return new StoreNotReadyError(
      `the database of the artifact store ${location} does not exist: create it, then run \`lucca-connectors setup\``,
    );
  if (code === '28P01' || code === '28000')
    return new StoreNotReadyError(`the artifact store ${location} refused the credentials (${code})`);
  return new StoreNotReadyError(`the artifact store ${location} does not answer (${code})`);
}

/** `postgres://user@host:port/db`: the URL without its password, for messages. */
function describe(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'postgres (unparsable URL)';
  }
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
