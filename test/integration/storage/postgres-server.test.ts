import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { postgresBinDir, startPostgresServer, type PostgresServer } from '../../support/postgres-server';

/** The test PostgreSQL itself: a private cluster that accepts the test user's password only. */
describe('test PostgreSQL server', () => {
  let pg: PostgresServer;
  beforeAll(async () => {
    pg = await startPostgresServer();
  });
  afterAll(() => pg.stop());

  const psql = (password: string, database: string, sql: string) =>
    spawnSync(join(postgresBinDir(), 'psql'), ['-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', database, '-tAc', sql], {
      encoding: 'utf8',
      env: { ...process.env, PGPASSWORD: password },
    });

  it('creates databases and answers queries on 127.0.0.1', async () => {
    await pg.createDatabase('probe_db');
    const r = psql(pg.password, 'probe_db', 'SELECT current_database()');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('probe_db');
  });

  it('refuses a wrong password', () => {
    const r = psql('not-the-password', 'postgres', 'SELECT 1');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/password authentication failed/);
  });
});
