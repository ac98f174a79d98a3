import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

/** A program from the sources, with the given environment; killed if it has not stopped by itself in time. */
function run(
  entry: string,
  env: NodeJS.ProcessEnv,
  killAfterMs = 60_000,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(ROOT, entry)], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => (stdout += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stderr, stdout });
    });
  });
}

function withoutConfig(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  delete env.LUCCA_CONNECTORS_CONFIG;
  return env;
}

/** Issue 22: no process falls back to the sandbox's config; `npm start` runs the sandbox's only. */
describe('the config a process runs is always chosen explicitly', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-explicit-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['worker', 'src/worker.ts'],
    ['webhook receiver', 'src/webhooks/start-webhook-receiver.ts'],
    ['codec server', 'src/codec/start-codec-server.ts'],
  ])('a %s started without LUCCA_CONNECTORS_CONFIG stops with one line naming the variable', async (_name, entry) => {
    const { code, stderr } = await run(entry, withoutConfig());
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/LUCCA_CONNECTORS_CONFIG is not set: point it at this deployment's config file/);
  });

  it('npm start refuses a config that names hosts other than this machine, before starting anything', async () => {
    const config = join(dir, 'production.yaml');
    writeFileSync(
      config,
      [
        'encryption: { keys: [ { id: k1, key: "env:LUCCA_CONNECTORS_TEST_PAYLOAD_KEY" } ] }',
        'tenants:',
        '  - { id: initech, lucca: { baseUrl: "https://initech.ilucca.net", apiKey: "env:LUCCA_CONNECTORS_TEST_INITECH_KEY" } }',
        '',
      ].join('\n'),
    );
    // Every secret it names is there: without the refusal, this config would run.
    const secrets = {
      LUCCA_CONNECTORS_TEST_PAYLOAD_KEY: randomBytes(32).toString('base64'),
      LUCCA_CONNECTORS_TEST_INITECH_KEY: '0f8fad5b-d9cb-469f-a165-70867728950e',
    };
    const { code, stderr, stdout } = await run('dev/local/start-local-system.ts', {
      ...process.env,
      ...secrets,
      LUCCA_CONNECTORS_CONFIG: config,
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`npm start runs the sandbox only, and ${config} names other hosts (tenants[0].lucca.baseUrl)`);
  });
});
