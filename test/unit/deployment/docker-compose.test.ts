import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { loadConfig } from '../../../src/config/load-config';

/**
 * The compose file checked statically (fast, no engine): valid YAML, every referenced service,
 * volume, build context, file and variable defined. test/integration/containers/compose.test.ts runs it.
 */
const root = resolve(__dirname, '../../..');
const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
type Service = {
  image?: string;
  build?: string | { context: string };
  command?: string[];
  ports?: string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  volumes?: string[];
  environment?: Record<string, string | number>;
  profiles?: string[];
};
const compose = parse(text, { merge: true }) as { services: Record<string, Service>; volumes?: Record<string, unknown> };

describe('docker-compose.yml', () => {
  it('is valid YAML with no duplicate keys', () => {
    const doc = parseDocument(text, { merge: true, uniqueKeys: true });
    expect(doc.errors).toEqual([]);
  });

  it('has the production services and the sandbox as an optional profile', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgresql', 'temporal', 'setup', 'temporal-ui', 'worker', 'webhooks', 'codec-server', 'sandbox']),
    );
    expect(compose.services.sandbox!.profiles).toEqual(['sandbox']);
    expect(compose.services.worker!.profiles).toBeUndefined();
    // No development image: the repo's server config, with the schema step before the server.
    expect(text).not.toContain('temporalio/auto-setup');
    expect(compose.services.temporal!.depends_on).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' } });
  });

  it('references only defined services and named volumes', () => {
    const services = new Set(Object.keys(compose.services));
    const volumes = new Set(Object.keys(compose.volumes ?? {}));
    for (const [name, service] of Object.entries(compose.services)) {
      const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const dep of deps) expect(`${name} → ${dep}: ${services.has(dep)}`).toBe(`${name} → ${dep}: true`);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.')) expect(existsSync(join(root, source))).toBe(true);
        else expect(`${name} volume ${source}: ${volumes.has(source)}`).toBe(`${name} volume ${source}: true`);
      }
    }
  });

  it('builds from a Debian-based Dockerfile on a supported LTS Node.js and runs compiled files whose sources exist', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const bases = [...dockerfile.matchAll(/^FROM node:(\d+)-bookworm/gm)].map((m) => Number(m[1]));
    expect(bases.length).toBeGreaterThan(0);
    for (const major of bases) expect([22, 24]).toContain(major);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini"/m);
    expect(dockerfile).not.toMatch(/^(CMD|ENTRYPOINT|RUN).*\btsx\b/m);
    expect(dockerfile).not.toMatch(/^FROM .*alpine/im);
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build === undefined) {
        expect(`${name}: ${service.image ?? 'no image'}`).toMatch(/: \S+:\S+$/); // pinned image tag
        continue;
      }
      const context = typeof service.build === 'string' ? service.build : service.build.context;
      expect(existsSync(join(root, context, 'Dockerfile'))).toBe(true);
      const [program, file] = service.command ?? [];
      expect(`${name}: ${program}`).toBe(`${name}: node`);
      const source = file!.replace(/^dist\/(.+)\.js$/, 'src/$1.ts').replace(/^dist-simulators\/(.+)\.js$/, '$1.ts');
      expect(`${name}: ${source} ${existsSync(join(root, source))}`).toBe(`${name}: ${source} true`);
    }
  });

  it('publishes ports on 127.0.0.1 unless configured otherwise', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const port of service.ports ?? [])
        expect(`${name}: ${port}`).toMatch(
          /: \$\{LUCCA_CONNECTORS_BIND_ADDRESS:-127\.0\.0\.1\}:\$\{LUCCA_CONNECTORS_[A-Z_]+_PORT:-\d+\}:\d+$/,
        );
    }
  });

  it('shares no volume between connector processes and runs setup before them', () => {
    for (const name of ['worker', 'webhooks']) {
      const service = compose.services[name]!;
      expect((service.volumes ?? []).every((v) => v.endsWith(':ro'))).toBe(true);
      expect(Object.keys(service.depends_on ?? {})).toContain('setup');
    }
  });

  it('gives every variable a default or documents it in .env.example', () => {
    const documented = new Set(
      readFileSync(join(root, '.env.example'), 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => l.split('=')[0]),
    );
    const references = [...text.matchAll(/\$\{([A-Z0-9_]+)(:-[^}]*)?\}/g)];
    expect(references.length).toBeGreaterThan(0);
    for (const [, name, fallback] of references) expect(`${name}: ${Boolean(fallback) || documented.has(name)}`).toBe(`${name}: true`);
    for (const name of documented) expect(text).toContain(`\${${name}`);
  });

  it('lets the UI forward the OIDC access token to the codec server, with no credential in the endpoint URL', () => {
    const ui = compose.services['temporal-ui']!.environment!;
    expect(String(ui.TEMPORAL_CODEC_PASS_ACCESS_TOKEN)).toBe('true');
    expect(String(ui.TEMPORAL_CODEC_ENDPOINT)).toMatch(/^\$\{[A-Z_]+:-http:\/\/localhost:8888\}$/);
  });

  it('points its services at a config file that exists and is valid, reaching the simulators by service name', () => {
    const file = /LUCCA_CONNECTORS_CONFIG_FILE:-([^}]+)\}/.exec(text)![1]!;
    const { config } = loadConfig(join(root, 'config', file));
    expect(config.tenants.every((t) => t.lucca.baseUrl.startsWith('http://sandbox:4100/'))).toBe(true);
    expect(config.temporal.address).toBe('temporal:7233');
    // Several worker containers, no shared volume: only the PostgreSQL store works there.
    expect(config.storage.kind).toBe('postgres');
    expect(text).toContain('LUCCA_CONNECTORS_STORE_URL: postgres://');
  });
});
