import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config/load-config';
import { runtimeSettings } from '../../../src/config/runtime-settings';

/** `storage:` — filesystem by default (30-day retention), PostgreSQL through a secret reference only. */
describe('storage config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-storage-config-'));
  const base =
    'encryption: { keys: [{ id: k, key: env:K }] }\ntenants: [{ id: acme, lucca: { baseUrl: "https://acme.ilucca.net", apiKey: env:L } }]\n';
  const load = (storage: string) => {
    const path = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(path, base + storage);
    return loadConfig(path);
  };

  it('defaults to the filesystem store with a 30-day retention; LUCCA_CONNECTORS_DATA_DIR or a dir relative to the config file chooses the directory', () => {
    const loaded = load('');
    expect(loaded.config.storage).toEqual({ kind: 'filesystem', retentionDays: 30 });
    expect(runtimeSettings(loaded.config, { LUCCA_CONNECTORS_DATA_DIR: '/srv/artifacts' }, loaded.baseDir).storage).toEqual({
      kind: 'filesystem',
      dir: '/srv/artifacts',
      retentionDays: 30,
    });
    const relative = load('storage: { kind: filesystem, dir: data/artifacts, retentionDays: 7 }\n');
    expect(runtimeSettings(relative.config, {}, relative.baseDir).storage).toEqual({
      kind: 'filesystem',
      dir: join(dir, 'data/artifacts'),
      retentionDays: 7,
    });
  });

  it('selects PostgreSQL with its URL as a secret reference, and refuses an inline URL without printing it', () => {
    const loaded = load('storage: { kind: postgres, url: env:LUCCA_CONNECTORS_STORE_URL }\n');
    expect(runtimeSettings(loaded.config, {}, loaded.baseDir).storage).toEqual({
      kind: 'postgres',
      url: 'env:LUCCA_CONNECTORS_STORE_URL',
      retentionDays: 30,
    });
    let error: unknown;
    try {
      load('storage: { kind: postgres, url: "postgres://app:s3cret-pw@db/connectors" }\n');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^storage\.url: must be a secret reference/)]);
    expect((error as Error).message).not.toContain('s3cret-pw');
  });

  it('refuses an unknown kind and a retention under one day', () => {
    expect(() => load('storage: { kind: s3 }\n')).toThrow(ConfigError);
    expect(() => load('storage: { kind: filesystem, retentionDays: 0 }\n')).toThrow(/storage\.retentionDays/);
  });
});
