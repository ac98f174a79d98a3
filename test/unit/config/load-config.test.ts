import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  ConfigNotChosenError,
  SANDBOX_CONFIG_PATH,
  configPathFromEnv,
  loadConfig,
  parseConfigText,
} from '../../../src/config/load-config';
import { resolveSecret, SecretResolutionError } from '../../../src/config/secret-reference';
import { TenantDirectory } from '../../../src/config/tenant-directory';

const dir = mkdtempSync(join(tmpdir(), 'lc-config-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('config loading', () => {
  it('loads the shipped sandbox config with defaults filled in', () => {
    const { config } = loadConfig(SANDBOX_CONFIG_PATH);
    expect(config.tenants.map((t) => t.id)).toEqual(['acme', 'globex']);
    const acme = config.tenants[0]!;
    expect(acme.elevo?.exclusion).toEqual({ fieldCode: 'e_skip_elevo_sync', policy: 'release' });
    expect(acme.aequivalent?.fields.orderStatus).toBe('e_order_status');
    expect(acme.aequivalent?.statusLabels.toOrder).toBe('Dossier à commander');
    expect(config.tenants[1]!.aequivalent).toBeUndefined();
    expect(config.temporal.taskQueue).toBe('lucca-connectors');
  });

  it('codec server: strict decoding by default, both UI origins, and a refusal when nobody could authenticate', () => {
    const { config } = loadConfig(SANDBOX_CONFIG_PATH);
    expect(config.encryption.acceptUnencryptedPayloads).toBe(false);
    expect(config.encryption.codecServer?.allowedOrigin).toEqual(['http://127.0.0.1:8233', 'http://localhost:8233']);
    const base = 'tenants: [{ id: a, lucca: { baseUrl: "https://a.ilucca.net", apiKey: "env:K" } }]';
    const withCodec = (codecServer: string) => `encryption: { keys: [{ id: k, key: "env:P" }], codecServer: ${codecServer} }\n${base}`;
    expect(problemsOf(() => parseConfigText(withCodec('{ port: 8888 }'), 'x.yaml')).join('\n')).toMatch(
      /encryption\.codecServer.*authenticate callers/,
    );
    const oidc = parseConfigText(
      withCodec('{ oidc: { issuer: "https://login.example.com", audience: ui }, allowedOrigin: "https://ui.example.com" }'),
      'x.yaml',
    );
    expect(oidc.config.encryption.codecServer).toMatchObject({
      oidc: { issuer: 'https://login.example.com', audience: 'ui' },
      tokens: [],
      allowedOrigin: ['https://ui.example.com'],
    });
  });

  it('uses LUCCA_CONNECTORS_CONFIG when set, and refuses in one line when it is not (never the sandbox file silently)', () => {
    expect(() => configPathFromEnv({})).toThrow(ConfigNotChosenError);
    expect(() => configPathFromEnv({ LUCCA_CONNECTORS_CONFIG: '' })).toThrow(ConfigError);
    expect(() => configPathFromEnv({})).toThrow(/^LUCCA_CONNECTORS_CONFIG is not set: [^\n]+$/);
    expect(configPathFromEnv({ LUCCA_CONNECTORS_CONFIG: '/etc/lc.yaml' })).toBe('/etc/lc.yaml');
  });

  it('resolves file: secret references relative to the config file', () => {
    const tenants = new TenantDirectory(loadConfig(SANDBOX_CONFIG_PATH));
    expect(tenants.secret('file:sandbox-secrets/acme-lucca.key')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lists the path and reason of every bad field at once', () => {
    const path = write(
      'bad.yaml',
      `
tenants:
  - id: Acme Corp
    timeZone: Mars/Olympus
    lucca: { baseUrl: ftp://nope, apiKey: env:KEY, requestsPerMinute: 500 }
    elevo: { baseUrl: http://e, token: env:T, exclusion: { policy: delete }, colour: blue }
`,
    );
    const problems = problemsOf(() => loadConfig(path));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^tenants\[0\]\.id: tenant ids are lower-case/),
        expect.stringMatching(/^tenants\[0\]\.timeZone: must be an IANA time zone/),
        expect.stringMatching(/^tenants\[0\]\.lucca\.baseUrl: must be an http\(s\) URL/),
        expect.stringMatching(/^tenants\[0\]\.lucca\.requestsPerMinute:/),
        expect.stringMatching(/^tenants\[0\]\.elevo\.exclusion\.policy:/),
        expect.stringMatching(/^tenants\[0\]\.elevo: unknown field\(s\) "colour"/),
        'encryption: is required',
      ]),
    );
    expect(problems.length).toBe(7);
  });

  it('refuses an inline secret without ever printing it', () => {
    const secret = 'bd6d5481-40eb-414b-9135-434e12749223';
    const path = write('inline.yaml', `tenants:\n  - id: acme\n    lucca: { baseUrl: "https://acme.ilucca.net", apiKey: "${secret}" }\n`);
    let message = '';
    try {
      loadConfig(path);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('tenants[0].lucca.apiKey: must be a secret reference');
    expect(message).not.toContain(secret);
  });

  it('reports YAML syntax errors by position, without quoting the file', () => {
    const problems = problemsOf(() => parseConfigText('tenants:\n  - id: acme\n   apiKey: "s3cr3t-value\n', '/x/c.yaml'));
    expect(problems[0]).toMatch(/^not valid YAML at line \d+, column \d+$/);
    expect(problems.join()).not.toContain('s3cr3t');
  });

  it('accepts JSON files and rejects duplicate tenant ids', () => {
    const tenant = { id: 'acme', lucca: { baseUrl: 'https://acme.ilucca.net', apiKey: 'env:ACME_KEY' } };
    const encryption = { keys: [{ id: 'k1', key: 'env:PAYLOAD_KEY' }] };
    const ok = write('ok.json', JSON.stringify({ encryption, tenants: [tenant] }));
    expect(loadConfig(ok).config.tenants[0]!.timeZone).toBe('Europe/Paris');
    const dup = write('dup.json', JSON.stringify({ encryption, tenants: [tenant, tenant] }));
    expect(problemsOf(() => loadConfig(dup))).toEqual(['tenants[1].id: duplicate tenant id "acme"']);
  });

  it('fails clearly on a missing file', () => {
    expect(problemsOf(() => loadConfig(join(dir, 'nope.yaml')))).toEqual(['cannot read file (ENOENT)']);
  });
});

describe('secret references', () => {
  it('reads env: and file: references and names only the reference on failure', () => {
    expect(resolveSecret('env:LUCCA_CONNECTORS_TEST_SECRET', dir, { LUCCA_CONNECTORS_TEST_SECRET: ' abc ' })).toBe('abc');
    const file = write('token', 'tok-123\n');
    expect(resolveSecret(`file:${file}`, '/', {})).toBe('tok-123');
    expect(() => resolveSecret('env:LUCCA_CONNECTORS_MISSING', dir, {})).toThrow(
      new SecretResolutionError('environment variable LUCCA_CONNECTORS_MISSING (referenced as "env:LUCCA_CONNECTORS_MISSING") is not set'),
    );
    expect(() => resolveSecret('file:nope.key', dir, {})).toThrow(/cannot read secret file .*nope\.key \(ENOENT\)/);
  });
});
