import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, resolve } from 'node:path';
import { PROJECT_ROOT } from '../../src/config/runtime-settings';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { temporalCliPath } from '../../src/temporal/temporal-cli-path';
import { setTimeout as delay } from 'node:timers/promises';

export interface LocalTemporalServer {
  address: string;
  uiUrl: string;
  /** False when a server was already listening and we reuse it. */
  startedHere: boolean;
  stop(): Promise<void>;
}

/**
 * The Temporal dev server with its Web UI and the project's search attributes, history persisted to
 * .local-data/temporal.db (LUCCA_CONNECTORS_LOCAL_DB overrides; `:memory:` keeps nothing) so runs
 * survive a restart of `npm start`.
 */
export async function startLocalTemporalServer(
  options: { port?: number; uiPort?: number; uiCodecEndpoint?: string } = {},
): Promise<LocalTemporalServer> {
  const port = options.port ?? 7233;
  const uiPort = options.uiPort ?? 8233;
  const address = `127.0.0.1:${port}`;
  const uiUrl = `http://127.0.0.1:${uiPort}`;
  if (await isListening(port)) return { address, uiUrl, startedHere: false, stop: async () => undefined };

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort), '--log-level', 'warn'];
  const dbFile = process.env.LUCCA_CONNECTORS_LOCAL_DB ?? '.local-data/temporal.db';
  if (dbFile !== ':memory:') {
    mkdirSync(dirname(resolve(PROJECT_ROOT, dbFile)), { recursive: true });
    args.push('--db-filename', resolve(PROJECT_ROOT, dbFile));
  }
  for (const key of ALL_SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=Keyword`);
  // The UI decrypts payloads through our codec server, for whoever can reach this local UI.
  if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  const child = spawn(temporalCliPath(), args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`the Temporal dev server exited with code ${child.exitCode}`);
    if (await isListening(port)) return { address, uiUrl, startedHere: true, stop: () => stopChild(child, exited) };
    await delay(200);
  }
  await stopChild(child, exited);
  throw new Error(`the Temporal dev server did not listen on ${address} within 30 s`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
