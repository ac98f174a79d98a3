import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ElevoSandbox } from '../../../dev/simulators/elevo';
import { generateLuccaTenant, LuccaSandbox } from '../../../dev/simulators/lucca';
import { programEnv } from '../../support/program-env';
import { writeConfigFile, type ConfigFile } from '../../support/write-config-file';
import { startPostgresServer, type PostgresServer } from '../../support/postgres-server';
import { ProgramProcess, runProgram } from '../../support/project-process';
import { RealTemporalServer } from '../../support/real-temporal-server';
import { generateTestPki, type TestPki } from '../../support/test-certificates';

const T = 'acme';
const LUCCA_KEY = randomUUID();
const ELEVO_TOKEN = 'elevo-token-secure-connection-test';

/**
 * Mutual TLS against the real Temporal server (certificates made by the test): the CLI, the worker
 * and the webhook receiver connect with `temporal.tls`, an Elevo sync runs end to end, and a client
 * with a certificate from another CA — or with none — is refused with one line that says why.
 */
describe('secure connections: mutual TLS to the real Temporal server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-mtls-'));
  let pki: TestPki;
  let postgres: PostgresServer;
  let server: RealTemporalServer;
  let lucca: LuccaSandbox;
  let elevo: ElevoSandbox;
  let env: Record<string, string>;

  type Tls = NonNullable<ConfigFile['temporal']>['tls'];
  /** A config whose `temporal.tls` section is `tls`, everything else identical. */
  const writeConfig = (name: string, tls: Tls) =>
    writeConfigFile(join(dir, name), {
      encryption: { keys: [{ id: 'k1', key: 'file:payload.key' }] },
      temporal: { namespace: 'secure', taskQueue: `mtls-${process.pid}`, retentionDays: 1, tls },
      tenants: [
        {
          id: T,
          lucca: { baseUrl: lucca.baseUrlFor(T), apiKey: 'file:lucca.key' },
          elevo: { baseUrl: elevo.baseUrlFor(T), token: 'file:elevo.token' },
          aequivalent: { baseUrl: 'http://127.0.0.1:9/aeq', apiKey: 'file:elevo.token', webhookSecret: 'file:elevo.token' },
        },
      ],
    });
  const trusted = (): Tls => ({
    caCertificate: `file:${pki.caFile}`,
    clientCertificate: `file:${pki.client.certFile}`,
    clientKey: `file:${pki.client.keyFile}`,
    serverName: pki.serverName,
  });
  const lastLine = (output: string) => output.trim().split('\n').pop();

  beforeAll(async () => {
    pki = generateTestPki(dir);
    lucca = await LuccaSandbox.start({ requestsPerMinute: 0 });
    lucca.addTenant(T, generateLuccaTenant({ tenantId: T, apiKey: LUCCA_KEY, employees: 25, seed: 41 }));
    elevo = await ElevoSandbox.start({ tenants: [{ tenantId: T, token: ELEVO_TOKEN }] });
    writeFileSync(join(dir, 'lucca.key'), LUCCA_KEY);
    writeFileSync(join(dir, 'elevo.token'), ELEVO_TOKEN);
    writeFileSync(join(dir, 'payload.key'), randomBytes(32).toString('base64'));
    postgres = await startPostgresServer();
    const read = (path: string) => readFileSync(path);
    server = await RealTemporalServer.start({
      postgres,
      tls: {
        caFile: pki.caFile,
        certFile: pki.server.certFile,
        keyFile: pki.server.keyFile,
        serverName: pki.serverName,
        clientCaFile: pki.caFile,
      },
      probeTls: {
        serverNameOverride: pki.serverName,
        serverRootCACertificate: read(pki.caFile),
        clientCertPair: { crt: read(pki.client.certFile), key: read(pki.client.keyFile) },
      },
    });
    env = await programEnv({
      configPath: writeConfig('trusted.yaml', trusted()),
      temporalAddress: server.address,
      dataDir: join(dir, 'artifacts'),
    });
  });
  afterAll(async () => {
    await server?.stop();
    await postgres?.stop();
    await Promise.all([lucca?.stop(), elevo?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('setup, the worker, the CLI and the webhook receiver all work over mutual TLS: an Elevo sync runs end to end', async () => {
    const setup = await runProgram('src/client.ts', ['setup'], env);
    expect(setup.output).toContain('namespace "secure": created, retention 1 day');
    expect(setup.code).toBe(0);
    const worker = new ProgramProcess('src/worker.ts', env, '"worker started"');
    const receiver = new ProgramProcess('src/webhooks/start-webhook-receiver.ts', env, 'webhook receiver started');
    try {
      await Promise.all([worker.start(), receiver.start()]);
      const run = await runProgram('src/client.ts', ['run', T, 'elevo-user-sync', '--wait'], env);
      expect(run.code).toBe(0);
      expect(run.output).toMatch(/^Status\s+completed$/m); // the summary the CLI prints at the end
      expect(elevo.users(T).length).toBeGreaterThan(15);
    } finally {
      await Promise.all([worker.stop(), receiver.stop()]);
    }
  });

  it('a client certificate from another CA is refused, by the CLI and the worker alike, with one line that says so', async () => {
    const config = writeConfig('stranger.yaml', {
      caCertificate: `file:${pki.caFile}`,
      clientCertificate: `file:${pki.strangerClient.certFile}`,
      clientKey: `file:${pki.strangerClient.keyFile}`,
      serverName: pki.serverName,
    });
    const expected = `the Temporal server at ${server.address} (mutual TLS) refused the connection: the server refused our client certificate (TLS alert "unknown ca"): it is not signed by a CA the server trusts, or has expired`;
    const [cli, worker] = await Promise.all([
      runProgram('src/client.ts', ['runs'], { ...env, LUCCA_CONNECTORS_CONFIG: config }),
      runProgram('src/worker.ts', [], { ...env, LUCCA_CONNECTORS_CONFIG: config }),
    ]);
    for (const run of [cli, worker]) {
      expect(run.code).toBe(1);
      expect(lastLine(run.output)).toBe(expected);
      expect(run.output).not.toContain('PRIVATE KEY');
    }
  });

  it('without a client certificate, or without the CA that signed the server certificate, the line says what to configure', async () => {
    const caOnly = writeConfig('ca-only.yaml', { caCertificate: `file:${pki.caFile}`, serverName: pki.serverName });
    const noClientCert = await runProgram('src/client.ts', ['runs'], { ...env, LUCCA_CONNECTORS_CONFIG: caOnly });
    expect(noClientCert.code).toBe(1);
    expect(lastLine(noClientCert.output)).toBe(
      `the Temporal server at ${server.address} (TLS) refused the connection: the server requires a client certificate (mutual TLS): set temporal.tls.clientCertificate and clientKey`,
    );

    const untrustedServer = writeConfig('no-ca.yaml', {
      clientCertificate: `file:${pki.client.certFile}`,
      clientKey: `file:${pki.client.keyFile}`,
      serverName: pki.serverName,
    });
    const noCa = await runProgram('src/client.ts', ['runs'], { ...env, LUCCA_CONNECTORS_CONFIG: untrustedServer });
    expect(noCa.code).toBe(1);
    expect(lastLine(noCa.output)).toBe(
      `the Temporal server at ${server.address} (mutual TLS) refused the connection: the server certificate is not signed by a trusted CA: set temporal.tls.caCertificate to the CA that signed it`,
    );
  });
});
