import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Client } from 'pg';
import { AesGcmPayloadCodec } from '../../../src/codec/aes-gcm-payload-codec';
import type { StorageSettings } from '../../../src/config/runtime-settings';
import type { ArtifactBlobs } from '../../../src/storage/artifact-blobs';
import type { ArtifactStore } from '../../../src/storage/artifact-store';
import { createArtifactStore } from '../../../src/storage/create-artifact-store';
import { FilesystemArtifactBlobs } from '../../../src/storage/filesystem-artifact-blobs';
import { PostgresArtifactBlobs } from '../../../src/storage/postgres-artifact-blobs';
import { startPostgresServer, type PostgresServer } from '../../support/postgres-server';

/**
 * One contract, both stores: what a worker writes another process reads, sealed per tenant and
 * bound to its key, refused when unsealed or moved, purged by age, shredded per tenant.
 * `raw` is someone with access to the storage itself (the data directory, the database).
 */
interface Backend {
  name: string;
  settings(): StorageSettings;
  raw(): ArtifactBlobs;
  cleanUp(): Promise<void>;
}

const key = (id: number) => Buffer.alloc(32, id);
const codec = new AesGcmPayloadCodec([{ id: 'k1', key: key(1) }]);
const PERSONAL = 'Zoé Contract-Probe';
const report = (runId: string) => `elevo-user-sync/acme/wf-1/${runId}/report`;

let pg: PostgresServer;
let database = 0;
const backends: Backend[] = [
  (() => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-store-'));
    return {
      name: 'filesystem',
      settings: (): StorageSettings => ({ kind: 'filesystem', dir, retentionDays: 30 }),
      raw: () => new FilesystemArtifactBlobs(dir),
      cleanUp: async () => rmSync(dir, { recursive: true, force: true }),
    };
  })(),
  (() => {
    let url = '';
    return {
      name: 'postgres',
      settings: (): StorageSettings => ({ kind: 'postgres', url: 'env:STORE_URL', retentionDays: 30 }),
      raw: () => new PostgresArtifactBlobs(url),
      cleanUp: async () => undefined,
      set url(value: string) {
        url = value;
      },
      get url() {
        return url;
      },
    } as Backend & { url: string };
  })(),
];

beforeAll(async () => {
  pg = await startPostgresServer();
});
afterAll(async () => {
  await pg?.stop();
  for (const b of backends) await b.cleanUp();
});

describe.each(backends)('artifact store contract: $name', (backend) => {
  let clock = new Date('2026-01-01T00:00:00Z');
  const open: ArtifactStore[] = [];
  const store = (cipher = codec.artifactCipher) => {
    const s = createArtifactStore(
      { storage: backend.settings() },
      { cipher, now: () => clock, resolveSecret: () => (backend as Backend & { url: string }).url },
    );
    open.push(s);
    return s;
  };
  let raw: ArtifactBlobs;

  beforeAll(async () => {
    if (backend.name === 'postgres') {
      const name = `contract_${++database}`;
      await pg.createDatabase(name);
      (backend as Backend & { url: string }).url = pg.url(name);
    }
    await store().migrate();
    raw = backend.raw();
  });
  afterAll(async () => {
    for (const s of open) await s.close();
    await raw.close();
  });

  it('returns what another instance (another process) wrote; missing artifacts are undefined, or an error naming the store', async () => {
    const writer = store();
    const reader = store();
    await writer.putJson(report('run-1'), { lines: [{ name: PERSONAL }] });
    await expect(reader.getJson(report('run-1'))).resolves.toEqual({ lines: [{ name: PERSONAL }] });
    await expect(reader.getJson(report('run-404'))).resolves.toBeUndefined();
    await expect(reader.requireJson(report('run-404'))).rejects.toThrow(`artifact ${report('run-404')} is missing from ${reader.location}`);
  });

  it('overwrites an artifact in place (a retried activity writes the same key again)', async () => {
    const s = store();
    await s.putJson('elevo-user-sync/acme/wf-1/run-2/results/000000', { attempt: 1 });
    await s.putJson('elevo-user-sync/acme/wf-1/run-2/results/000000', { attempt: 2 });
    await expect(s.getJson('elevo-user-sync/acme/wf-1/run-2/results/000000')).resolves.toEqual({ attempt: 2 });
  });

  it('lists the keys under a prefix, sorted, without a sibling that shares its first characters', async () => {
    const s = store();
    for (const k of ['batches/000001', 'batches/000000', 'skips']) await s.putJson(`elevo-user-sync/acme/wf-l/run-3/${k}`, { k });
    await s.putJson('elevo-user-sync/acme/wf-l/run-30/skips', {});
    await expect(s.list('elevo-user-sync/acme/wf-l/run-3')).resolves.toEqual([
      'elevo-user-sync/acme/wf-l/run-3/batches/000000',
      'elevo-user-sync/acme/wf-l/run-3/batches/000001',
      'elevo-user-sync/acme/wf-l/run-3/skips',
    ]);
    await expect(s.list('elevo-user-sync/nobody')).resolves.toEqual([]);
  });

  it('removes a key and everything under it, nothing else', async () => {
    const s = store();
    await s.putJson('elevo-user-sync/acme/wf-r/run-4/report', {});
    await s.putJson('elevo-user-sync/acme/wf-r/run-4/batches/000000', {});
    await s.putJson('elevo-user-sync/acme/wf-r/run-40/report', {});
    await s.remove('elevo-user-sync/acme/wf-r/run-4');
    await expect(s.list('elevo-user-sync/acme/wf-r')).resolves.toEqual(['elevo-user-sync/acme/wf-r/run-40/report']);
  });

  it('refuses keys that are not <connector>/<tenant>/<name> or could escape the store', async () => {
    const s = store();
    await expect(s.putJson('../etc/passwd', {})).rejects.toThrow(/invalid artifact key/);
    await expect(s.putJson('elevo-user-sync/acme', {})).rejects.toThrow(/invalid artifact key/);
    await expect(s.getJson('elevo-user-sync/.tenant-keys/acme')).rejects.toThrow(/invalid artifact key/);
  });

  it('keeps artifacts sealed at rest: no personal data in the stored bytes', async () => {
    await store().putJson(report('run-5'), { lines: [{ name: PERSONAL }] });
    const bytes = await raw.read(report('run-5'));
    expect(bytes?.subarray(0, 4).toString()).toBe('LCA2');
    expect(bytes?.includes(Buffer.from(PERSONAL))).toBe(false);
  });

  it('refuses unsealed data when a cipher is configured (a plain file planted in the store)', async () => {
    const planted = await promisify(gzip)(Buffer.from(JSON.stringify({ actions: [{ kind: 'suspend', luccaId: 1 }] })));
    await raw.write('elevo-user-sync/acme/wf-1/run-6/batches/000000', 'acme', planted, clock);
    await expect(store().getJson('elevo-user-sync/acme/wf-1/run-6/batches/000000')).rejects.toThrow(
      /is not sealed although encryption keys are configured: refused/,
    );
  });

  it('refuses a sealed artifact moved to another run, another name or another tenant', async () => {
    const s = store();
    await s.putJson(report('run-7'), { lines: [] });
    await s.putJson('elevo-user-sync/globex/wf-1/run-7/other', {}); // the other tenant has key material too
    const sealed = (await raw.read(report('run-7')))!;
    const moves = [report('run-8'), 'elevo-user-sync/acme/wf-1/run-7/batches/000000', 'elevo-user-sync/globex/wf-1/run-7/report'];
    for (const target of moves) {
      await raw.write(target, target.split('/')[1]!, sealed, clock);
      await expect(s.getJson(target)).rejects.toThrow(/does not authenticate/);
    }
    await expect(s.getJson(report('run-7'))).resolves.toEqual({ lines: [] });
  });

  it('purges run artifacts written before the cutoff, keeps newer ones and the last-success record', async () => {
    const s = store();
    clock = new Date('2026-02-01T00:00:00Z');
    await s.putJson('elevo-user-sync/purge/wf-1/old-run/report', {});
    await s.putJson('elevo-user-sync/purge/wf-1/old-run/batches/000000', {});
    await s.putJson('elevo-user-sync/purge/last-success', { sourceCount: 10 });
    clock = new Date('2026-03-15T00:00:00Z');
    await s.putJson('elevo-user-sync/purge/wf-1/new-run/report', {});
    const removed = await s.purgeWrittenBefore(new Date('2026-03-01T00:00:00Z'));
    expect(removed).toBeGreaterThanOrEqual(2);
    await expect(s.list('elevo-user-sync/purge')).resolves.toEqual([
      'elevo-user-sync/purge/last-success',
      'elevo-user-sync/purge/wf-1/new-run/report',
    ]);
  });

  it('shreds one tenant: its artifacts and key material go, a restored copy no longer opens, other tenants are untouched', async () => {
    const s = store();
    await s.putJson('elevo-user-sync/shred-me/wf-1/run-9/report', { lines: [{ name: PERSONAL }] });
    await s.putJson('elevo-user-sync/keep-me/wf-1/run-9/report', { lines: [] });
    const backup = (await raw.read('elevo-user-sync/shred-me/wf-1/run-9/report'))!;
    await expect(s.shredTenant('shred-me')).resolves.toBe(1);
    await expect(s.list('elevo-user-sync/shred-me')).resolves.toEqual([]);
    await raw.write('elevo-user-sync/shred-me/wf-1/run-9/report', 'shred-me', backup, clock); // restored from a backup
    await expect(store().getJson('elevo-user-sync/shred-me/wf-1/run-9/report')).rejects.toThrow();
    await expect(store().getJson('elevo-user-sync/keep-me/wf-1/run-9/report')).resolves.toEqual({ lines: [] });
  });

  it('gives every process the same tenant key material when they race to create it', async () => {
    const writers = [store(), store(), store()];
    await Promise.all(writers.map((w, i) => w.putJson(`elevo-user-sync/race/wf-1/run-${i}/report`, { i })));
    const reader = store();
    for (let i = 0; i < writers.length; i++)
      await expect(reader.getJson(`elevo-user-sync/race/wf-1/run-${i}/report`)).resolves.toEqual({ i });
  });

  it('passes its start-up check once migrated, and migrating again changes nothing', async () => {
    const s = store();
    await s.putJson(report('run-10'), { lines: [{ name: PERSONAL }] });
    await expect(s.migrate()).resolves.toMatch(
      backend.name === 'postgres' ? /: schema up to date$/ : /: directory ready \(single machine only\)$/,
    );
    await expect(s.check()).resolves.toBeUndefined();
    await expect(s.schemaProblem()).resolves.toBeUndefined();
    await expect(s.getJson(report('run-10'))).resolves.toEqual({ lines: [{ name: PERSONAL }] });
  });
});

describe('PostgreSQL store start-up check', () => {
  it('names `lucca-connectors setup` when the schema is missing, and passes after migrate()', async () => {
    await pg.createDatabase('store_check');
    const store = createArtifactStore(
      { storage: { kind: 'postgres', url: 'env:STORE_URL', retentionDays: 30 } },
      { cipher: codec.artifactCipher, resolveSecret: () => pg.url('store_check') },
    );
    try {
      await expect(store.check()).rejects.toThrow(
        /^the artifact store postgres(ql)?:\/\/lucca@127\.0\.0\.1:\d+\/store_check has no schema: run `lucca-connectors setup`$/,
      );
      await expect(store.schemaProblem()).resolves.toMatch(/has no schema: run `lucca-connectors setup`$/);
      await expect(store.migrate()).resolves.toMatch(/\/store_check: applied 1764000000000_artifacts, 1765000000000_webhook-deliveries$/);
      await expect(store.check()).resolves.toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('names the migration a store lacks (a database left behind by an older version)', async () => {
    await pg.createDatabase('store_behind');
    const store = createArtifactStore(
      { storage: { kind: 'postgres', url: 'env:STORE_URL', retentionDays: 30 } },
      { resolveSecret: () => pg.url('store_behind') },
    );
    const sql = new Client({ connectionString: pg.url('store_behind') });
    try {
      await store.migrate();
      await sql.connect();
      await sql.query("DELETE FROM store_migrations WHERE name = '1764000000000_artifacts'");
      await expect(store.check()).rejects.toThrow(/store_behind lacks migration 1764000000000_artifacts: run `lucca-connectors setup`$/);
    } finally {
      await sql.end();
      await store.close();
    }
  });

  it('says the store does not answer, without the password, when nothing listens', async () => {
    const url = pg.url('store_check').replace(`:${pg.port}/`, ':1/');
    const store = createArtifactStore(
      { storage: { kind: 'postgres', url: 'env:STORE_URL', retentionDays: 30 } },
      { resolveSecret: () => url },
    );
    try {
      const error = await store.check().then(
        () => undefined,
        (err: Error) => err,
      );
      expect(error?.message).toMatch(
        /^the artifact store postgres(ql)?:\/\/lucca@127\.0\.0\.1:1\/store_check does not answer \(ECONNREFUSED\)$/,
      );
      expect(error?.message).not.toContain(pg.password);
    } finally {
      await store.close();
    }
  });
});
