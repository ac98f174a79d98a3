import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config/load-config';
import { loadReplacementConfig } from '../../../src/config/replacement-config';
import { diffTenants } from '../../../src/config/tenant-diff';

const tenant = (id: string, extra = '') =>
  `  - { id: ${id}, lucca: { baseUrl: "https://${id}.ilucca.net", apiKey: "file:${id}.key"${extra} } }`;
const config = (keyId: string, tenants: string[]) =>
  [`encryption: { keys: [ { id: ${keyId}, key: "file:payload.key" } ] }`, 'tenants:', ...tenants].join('\n');

describe('a replacement config is validated as a whole before a running process adopts it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-reload-unit-'));
  const path = join(dir, 'config.yaml');
  for (const f of ['payload.key', 'acme.key', 'initech.key']) writeFileSync(join(dir, f), 'x');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const problemsOf = (fn: () => unknown): string[] => {
    try {
      fn();
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
    return [];
  };

  it('accepts a new tenant and says what changed', () => {
    writeFileSync(path, config('k1', [tenant('acme')]));
    const current = loadConfig(path);
    writeFileSync(path, config('k1', [tenant('acme', ', requestsPerMinute: 20'), tenant('initech')]));
    const next = loadReplacementConfig(path, current, {});
    expect(diffTenants(current.config.tenants, next.config.tenants)).toEqual({
      added: ['initech'],
      removed: [],
      changed: ['acme'],
      unchanged: [],
    });
  });

  it('refuses payload-key changes (restart needed) and secrets this process cannot read, each with its path', () => {
    writeFileSync(path, config('k1', [tenant('acme')]));
    const current = loadConfig(path);
    writeFileSync(path, config('k2', [tenant('acme'), tenant('ghost')]));
    expect(problemsOf(() => loadReplacementConfig(path, current, {}))).toEqual([
      'encryption: changes here need a restart of every process (the running configuration is kept)',
      expect.stringMatching(/^tenants\[1\]\.lucca\.apiKey: cannot read secret file .*ghost\.key \(ENOENT\)$/),
    ]);
  });

  it('reports schema problems exactly as at start-up', () => {
    writeFileSync(path, config('k1', [tenant('acme')]));
    const current = loadConfig(path);
    writeFileSync(path, config('k1', [tenant('acme'), tenant('acme')]));
    expect(problemsOf(() => loadReplacementConfig(path, current, {}))).toEqual(['tenants[1].id: duplicate tenant id "acme"']);
  });

  it('diffs tenants by id and content', () => {
    writeFileSync(path, config('k1', [tenant('acme')]));
    const a = loadConfig(path).config.tenants[0]!;
    expect(diffTenants([a], [])).toEqual({ added: [], removed: ['acme'], changed: [], unchanged: [] });
    expect(diffTenants([a], [{ ...a }])).toEqual({ added: [], removed: [], changed: [], unchanged: ['acme'] });
    expect(diffTenants([a], [{ ...a, enabled: false }]).changed).toEqual(['acme']);
  });
});
