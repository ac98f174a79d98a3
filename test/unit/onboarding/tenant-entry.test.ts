import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config/load-config';
import {
  configWithTenant,
  isSecretReference,
  secretsDirFromEnv,
  storeSecret,
  writeConfigAtomically,
} from '../../../src/onboarding/tenant-entry';

describe('tenants add: the config entry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-entry-'));
  const path = join(dir, 'config.yaml');
  const text = [
    '# our tenants',
    'encryption: { keys: [ { id: k1, key: "file:payload.key" } ] }',
    'tenants:',
    '  # the first customer',
    '  - id: acme',
    '    lucca: { baseUrl: "https://acme.ilucca.net", apiKey: "env:ACME_KEY" }',
    '',
  ].join('\n');
  beforeEach(() => writeFileSync(path, text, { mode: 0o640 }));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('appends the tenant with secret references and keeps the comments', () => {
    const next = configWithTenant(loadConfig(path), text, {
      id: 'initech',
      lucca: { baseUrl: 'https://initech.ilucca.net', apiKey: 'file:secrets/initech-lucca-key' },
      elevo: { baseUrl: 'https://elevo.example/initech', token: 'env:INITECH_ELEVO' },
    });
    expect(next).toContain('# the first customer');
    writeConfigAtomically(path, next);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    const initech = loadConfig(path).config.tenants[1]!;
    expect(initech).toMatchObject({
      id: 'initech',
      enabled: true,
      lucca: { apiKey: 'file:secrets/initech-lucca-key' },
      elevo: { token: 'env:INITECH_ELEVO' },
    });
  });

  it('refuses the whole entry with the start-up messages: duplicate id, inline secret', () => {
    const attempt = () =>
      configWithTenant(loadConfig(path), text, {
        id: 'acme',
        lucca: { baseUrl: 'https://acme.ilucca.net', apiKey: 'c0ffee00-0000-4000-8000-000000000000' },
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        'tenants[1].lucca.apiKey: must be a secret reference "env:NAME" or "file:PATH" (never the secret itself)',
        'tenants[1].id: duplicate tenant id "acme"',
      ]);
    }
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('keeps a typed secret in a file readable by its owner only, and references it', () => {
    const reference = storeSecret(join(dir, 'secrets'), 'initech', 'lucca-key', 'c0ffee00-0000-4000-8000-000000000000');
    expect(reference).toBe(`file:${join(dir, 'secrets/initech-lucca-key')}`);
    expect(isSecretReference(reference)).toBe(true);
    expect(isSecretReference('c0ffee00-0000-4000-8000-000000000000')).toBe(false);
    expect(statSync(join(dir, 'secrets/initech-lucca-key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
  });

  it('keeps typed secrets outside the config directory unless told where (the config directory reaches images and repositories)', () => {
    expect(secretsDirFromEnv({ HOME: '/home/op', XDG_CONFIG_HOME: '/home/op/.config' })).toBe('/home/op/.config/lucca-connectors/secrets');
    expect(secretsDirFromEnv({ LUCCA_CONNECTORS_SECRETS_DIR: '/run/secrets/lc' })).toBe('/run/secrets/lc');
  });
});
