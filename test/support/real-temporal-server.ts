import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Connection, type TLSConfig } from '@temporalio/client';
import { freeLowPort } from './free-port';
import type { PostgresServer } from './postgres-server';
import { RestartableChildServer } from './restartable-child-server';

const PROJECT_ROOT = resolve(__dirname, '../..');
const ENSURE_SCRIPT = join(PROJECT_ROOT, 'scripts/ensure-temporal-server.mjs');
/** The server configuration kept in the repo, the one Docker Compose and production use. */
export const SERVER_CONFIG_ROOT = join(PROJECT_ROOT, 'deploy/temporal-server');

/** server, sql and schema/postgresql/v12 (built from source by scripts/ensure-temporal-server.mjs). */
export function temporalServerDir(): string {
  const r = spawnSync(process.execPath, [ENSURE_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const dir = r.stdout.trim().split('\n').pop();
  if (r.status !== 0 || !dir) throw new Error('The Temporal server is not available; see the messages above for the options.');
  return dir;
}

/** PEM files the server uses for TLS. With `clientCaFile`, clients must present a certificate it signed (mTLS). */
export interface ServerTlsFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
  /** The name in the server certificate (its services check it among themselves too). */
  serverName: string;
  clientCaFile?: string;
}

export interface RealTemporalServerOptions {
  postgres: PostgresServer;
  tls?: ServerTlsFiles;
  /** How the readiness probe connects when TLS is on (client certificate when mTLS). */
  probeTls?: TLSConfig;
}

const SERVICES = ['FRONTEND', 'HISTORY', 'MATCHING', 'WORKER'] as const;

/**
 * The real Temporal server (built from source), on PostgreSQL, as production runs it: both
 * databases created and migrated with the server's own SQL tool, the repo's server config,
 * every listener on 127.0.0.1 on free ports. It can be stopped and started again on the same
 * ports and databases (runs must resume). No namespace exists until `setup` creates one.
 */
export class RealTemporalServer extends RestartableChildServer {
  private output = '';

  private constructor(
    private readonly binDir: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly port: number,
    private readonly probeTls: TLSConfig | undefined,
  ) {
    super();
  }

  static async start(options: RealTemporalServerOptions): Promise<RealTemporalServer> {
    const binDir = temporalServerDir();
    const suffix = randomBytes(4).toString('hex');
    const databases = { TEMPORAL_DB: `temporal_${suffix}`, TEMPORAL_VISIBILITY_DB: `temporal_visibility_${suffix}` };
    applySchemas(binDir, options.postgres, databases.TEMPORAL_DB, 'temporal');
    applySchemas(binDir, options.postgres, databases.TEMPORAL_VISIBILITY_DB, 'visibility');
    const ports: Record<string, string> = {};
    for (const service of SERVICES) {
      ports[`TEMPORAL_${service}_PORT`] = String(await freeLowPort());
      ports[`TEMPORAL_${service}_MEMBERSHIP_PORT`] = String(await freeLowPort());
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...databases,
      ...ports,
      TEMPORAL_BIND_IP: '127.0.0.1',
      POSTGRES_HOST: options.postgres.host,
      POSTGRES_PORT: String(options.postgres.port),
      POSTGRES_USER: options.postgres.user,
      POSTGRES_PASSWORD: options.postgres.password,
      TEMPORAL_DYNAMIC_CONFIG: join(SERVER_CONFIG_ROOT, 'config/dynamicconfig/production.yaml'),
      TEMPORAL_LOG_LEVEL: 'warn',
      ...(options.tls ? tlsEnv(options.tls) : {}),
    };
    const server = new RealTemporalServer(binDir, env, Number(ports.TEMPORAL_FRONTEND_PORT), options.probeTls);
    await server.spawn();
    return server;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The server's last output lines, for error messages. */
  get recentOutput(): string {
    return this.output.slice(-4000);
  }

  protected async spawn(): Promise<void> {
    this.output = '';
    const child = spawn(
      join(this.binDir, 'server'),
      ['--root', SERVER_CONFIG_ROOT, '--config', 'config', '--env', 'production', '--allow-no-auth', 'start'],
      {
        cwd: SERVER_CONFIG_ROOT,
        env: this.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    const keep = (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the Temporal server exited (${child.exitCode}): ${this.recentOutput}`);
      if (await this.answers()) return;
      if (Date.now() > deadline)
        throw new Error(`the Temporal server is not reachable at ${this.address} after 90 s: ${this.recentOutput}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Ready when the frontend answers a call that reaches persistence. */
  private async answers(): Promise<boolean> {
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({
        address: this.address,
        connectTimeout: 1_000,
        ...(this.probeTls ? { tls: this.probeTls } : {}),
      });
      await connection.workflowService.listNamespaces({ pageSize: 1 });
      return true;
    } catch {
      return false;
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }
}

/** create-database, setup-schema -v 0.0, update-schema to the newest version: what an operator runs once. */
function applySchemas(binDir: string, postgres: PostgresServer, database: string, schema: 'temporal' | 'visibility'): void {
  const env = {
    ...process.env,
    SQL_PLUGIN: 'postgres12',
    SQL_HOST: postgres.host,
    SQL_PORT: String(postgres.port),
    SQL_USER: postgres.user,
    SQL_PASSWORD: postgres.password,
    SQL_DATABASE: database,
  };
  const versioned = join(binDir, 'schema/postgresql/v12', schema, 'versioned');
  for (const args of [['create-database'], ['setup-schema', '-v', '0.0'], ['update-schema', '-d', versioned]]) {
    const r = spawnSync(join(binDir, 'sql'), args, { env, encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error(`temporal sql tool ${args[0]} on ${database} failed (exit ${r.status}): ${(r.stderr || r.stdout).slice(-2000)}`);
  }
}

function tlsEnv(tls: ServerTlsFiles): NodeJS.ProcessEnv {
  return {
    TEMPORAL_TLS_CA: tls.caFile,
    TEMPORAL_TLS_CERT: tls.certFile,
    TEMPORAL_TLS_KEY: tls.keyFile,
    TEMPORAL_TLS_SERVER_NAME: tls.serverName,
    ...(tls.clientCaFile ? { TEMPORAL_TLS_CLIENT_CA: tls.clientCaFile } : {}),
  };
}
