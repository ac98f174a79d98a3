import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../../src/config/load-config';
import { TenantDirectory } from '../../../src/config/tenant-directory';

const CLIENT = resolve(__dirname, '../../../src/client.ts');
/** Where typed secrets go: outside the config's directory, as by default (~/.config/lucca-connectors/secrets). */
const TYPED_SECRETS = join(mkdtempSync(join(tmpdir(), 'lc-typed-')), 'secrets');

function cli(configPath: string, args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      ['--require', require.resolve('tsx/cjs'), CLIENT, ...args],
      { env: { ...process.env, LUCCA_CONNECTORS_CONFIG: configPath, LUCCA_CONNECTORS_SECRETS_DIR: TYPED_SECRETS } },
      (err, stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin);
  });
}

/** `tenants add` as an operator runs it: answers typed (here piped) at the prompts, or flags only. */
describe('lucca-connectors tenants add', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-add-'));
  const configPath = join(dir, 'config.yaml');
  beforeEach(() => {
    copyFileSync(resolve(__dirname, '../../../config/sandbox-secrets/payload-key-2026-11.key'), join(dir, 'payload.key'));
    writeFileSync(
      configPath,
      [
        'encryption: { keys: [ { id: k1, key: "file:payload.key" } ] }',
        'tenants:',
        '  - { id: acme, lucca: { baseUrl: "https://acme.ilucca.net", apiKey: "env:LUCCA_CONNECTORS_ACME_KEY" } }',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('interactive: typed secrets land in files only the owner reads; the config holds references', async () => {
    const answers =
      ['https://initech.ilucca.net', '0f8fad5b-d9cb-469f-a165-70867728950e', 'https://elevo.example/initech', 'elevo-token-value', ''].join(
        '\n',
      ) + '\n';
    const { code, stdout } = await cli(configPath, ['tenants', 'add', 'initech', '--interactive', '--no-check'], answers);
    expect(code).toBe(0);
    expect(stdout).toContain('Lucca URL (https://<company>.ilucca.net): ');
    expect(stdout).toContain(`tenant initech added to ${configPath}`);
    expect(stdout).toContain("Check the customer's set-up: lucca-connectors tenants check initech");
    const initech = loadConfig(configPath).config.tenants.find((t) => t.id === 'initech')!;
    expect(initech).toMatchObject({
      lucca: { apiKey: `file:${join(TYPED_SECRETS, 'initech-lucca-key')}` },
      elevo: { token: `file:${join(TYPED_SECRETS, 'initech-elevo-token')}` },
    });
    expect(initech.aequivalent).toBeUndefined();
    expect(readFileSync(configPath, 'utf8')).not.toContain('elevo-token-value');
    expect(readFileSync(join(TYPED_SECRETS, 'initech-elevo-token'), 'utf8').trim()).toBe('elevo-token-value');
    expect(statSync(join(TYPED_SECRETS, 'initech-lucca-key')).mode & 0o777).toBe(0o600);
    // The config names the directory, so the workers' confined secret resolution accepts the references.
    const loaded = loadConfig(configPath);
    expect(loaded.config.secrets.directory).toBe(TYPED_SECRETS);
    expect(new TenantDirectory(loaded).secret(initech.elevo!.token)).toBe('elevo-token-value');
  });

  it('non-interactive: a secret value on the command line is refused, the file untouched', async () => {
    const before = readFileSync(configPath, 'utf8');
    const { code, stderr } = await cli(configPath, [
      'tenants',
      'add',
      'initech',
      '--lucca-url',
      'https://initech.ilucca.net',
      '--lucca-key',
      '0f8fad5b-d9cb-469f-a165-70867728950e',
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('--lucca-key must be a reference "env:NAME" or "file:PATH"');
    expect(readFileSync(configPath, 'utf8')).toBe(before);
  });

  it('a check of a tenant whose key cannot be read exits 1 and says which secret', async () => {
    const { code, stdout } = await cli(configPath, ['tenants', 'check', 'acme']);
    expect(code).toBe(1);
    expect(stdout).toContain(
      'FAIL  Lucca API key secret: environment variable LUCCA_CONNECTORS_ACME_KEY (referenced as "env:LUCCA_CONNECTORS_ACME_KEY") is not set',
    );
  });
});
