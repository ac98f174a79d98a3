import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A private PostgreSQL cluster for one test file: Debian's `postgresql` package (installed when
 * absent), `initdb` in a temporary directory, one server on a free 127.0.0.1 port. As root the
 * cluster runs as the `postgres` user (PostgreSQL refuses to run as root). Password authentication,
 * as in production; nothing listens beyond loopback.
 */
export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password: string;
  url(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'lucca';
const PASSWORD = 'lucca-test-password';

export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'lc-pg-'));
  const dataDir = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const run = (cmd: string, args: string[], input?: string) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
    const r = spawnSync(file, argv, { encoding: 'utf8', input, cwd: dir });
    if (r.status !== 0) throw new Error(`${cmd} failed (exit ${r.status}): ${(r.stderr || r.stdout || '').trim().slice(0, 2000)}`);
    return r.stdout;
  };
  const pwFile = join(dir, 'pw');
  writeFileSync(pwFile, PASSWORD, { mode: 0o600 });
  if (asRoot) chownSync(pwFile, postgresUser().uid, postgresUser().gid);
  run('initdb', ['-D', dataDir, '-U', USER, '--pwfile', pwFile, '--auth=scram-sha-256', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  run('pg_ctl', [
    '-D',
    dataDir,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    'start',
  ]);
  const psql = (sql: string) => {
    const r = spawnSync(
      join(bin, 'psql'),
      ['-h', '127.0.0.1', '-p', String(port), '-U', USER, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', sql],
      {
        encoding: 'utf8',
        env: { ...process.env, PGPASSWORD: PASSWORD },
      },
    );
    if (r.status !== 0) throw new Error(`psql failed: ${(r.stderr || '').trim()}`);
  };
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    user: USER,
    password: PASSWORD,
    url: (database) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new RangeError(`invalid database name ${name}`);
      psql(`CREATE DATABASE ${name}`);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The newest installed PostgreSQL's binaries; installs Debian's package when there is none. */
export function postgresBinDir(): string {
  const found = findBinDir();
  if (found) return found;
  process.stderr.write('[postgres] PostgreSQL not found: installing Debian package `postgresql` (apt-get)...\n');
  if (process.getuid?.() !== 0)
    throw new Error('PostgreSQL is not installed and this user cannot run apt-get: install the `postgresql` package');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], { stdio: 'inherit', env });
  const installed = findBinDir();
  if (!installed) throw new Error('postgresql was installed but no /usr/lib/postgresql/<version>/bin/initdb was found');
  return installed;
}

function findBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

function postgresUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
