import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load-config';
import { TenantDirectory } from '../../../src/config/tenant-directory';
import { ConfigReloader, type ReloadOutcome } from '../../../src/tenancy/config-reloader';

const tenant = (id: string) => `  - { id: ${id}, lucca: { baseUrl: "https://${id}.ilucca.net", apiKey: "file:${id}.key" } }`;
const config = (tenants: string[]) => ['encryption: { keys: [ { id: k1, key: "file:payload.key" } ] }', 'tenants:', ...tenants].join('\n');
const quiet = { info: () => undefined, warn: () => undefined };

describe('the config reloader compares the file with what was actually loaded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-reloader-'));
  const path = join(dir, 'config.yaml');
  for (const f of ['payload.key', 'acme.key', 'initech.key']) writeFileSync(join(dir, f), 'x');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('applies an edit made between start-up and the start of watching (the worker-start race)', async () => {
    writeFileSync(path, config([tenant('acme')]));
    const directory = new TenantDirectory(loadConfig(path), {});
    // The edit lands after the load, before the reloader exists: polling alone would never report it.
    writeFileSync(path, config([tenant('acme'), tenant('initech')]));
    let reloader: ConfigReloader | undefined;
    const applied = new Promise<ReloadOutcome>((resolve) => {
      reloader = new ConfigReloader({
        path,
        directory,
        log: quiet,
        env: {},
        reloadOnSighup: false,
        pollMs: 60_000,
        onApplied: async (diff) => resolve({ status: 'applied', diff }),
      });
      reloader.start();
    });
    await expect(applied).resolves.toMatchObject({ diff: { added: ['initech'] } });
    reloader?.stop();
    expect(directory.tenantIds).toEqual(['acme', 'initech']);
  });

  it('says unchanged when the file is still what was loaded', async () => {
    writeFileSync(path, config([tenant('acme')]));
    const directory = new TenantDirectory(loadConfig(path), {});
    const reloader = new ConfigReloader({ path, directory, log: quiet, env: {}, reloadOnSighup: false, pollMs: 60_000 });
    await expect(reloader.reload('check')).resolves.toEqual({ status: 'unchanged' });
  });
});
