import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../../../src/config/load-config';
import { TenantDirectory } from '../../../src/config/tenant-directory';
import { IntegrationError } from '../../../src/integrations/http/integration-error';
import { JsonHttpClient } from '../../../src/integrations/http/json-http-client';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../../src/integrations/http/capped-body';

/**
 * Attacks through the configuration and the outbound calls: someone who can edit one line of a
 * tenant entry (a reviewed config repository, `tenants add` input) tries to send a secret of the
 * deployment to a host they choose, to read credentials off the wire, or an endpoint answers with
 * an endless body. Real files, real environment lookups, a real HTTP server over a socket.
 */
describe('adversarial: secret references and outbound calls', () => {
  let root: string;
  let configDir: string;
  const PAYLOAD = 'ZmFrZS1wYXlsb2FkLWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY3ODkwMTI=';

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'lc-adv-'));
    configDir = join(root, 'config');
    mkdirSync(configDir);
    writeFileSync(join(configDir, 'payload.key'), PAYLOAD);
    writeFileSync(join(configDir, 'lucca.key'), 'lucca-key');
    writeFileSync(join(root, 'other-service.key'), 'someone-elses-secret');
    symlinkSync(join(root, 'other-service.key'), join(configDir, 'innocent-looking.key'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const writeConfig = (name: string, luccaLine: string, extra = ''): string => {
    const path = join(configDir, name);
    writeFileSync(
      path,
      [
        `encryption: { keys: [ { id: k1, key: "file:payload.key" } ] }`,
        extra,
        'tenants:',
        `  - { id: acme, lucca: { ${luccaLine} } }`,
        '',
      ].join('\n'),
    );
    return path;
  };
  const luccaKeyOf = (path: string, env: NodeJS.ProcessEnv = {}) =>
    new TenantDirectory(loadConfig(path), env).secret(loadConfig(path).config.tenants[0]!.lucca.apiKey);
  const problemsOf = (fn: () => unknown): string[] => {
    try {
      fn();
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
    return [];
  };

  it.each([
    ['a path out of the config directory', 'file:../other-service.key'],
    ['an absolute path elsewhere', `file:/etc/hostname`],
    ['a symbolic link in the directory that leads out of it', 'file:innocent-looking.key'],
  ])('refuses a file: reference through %s', (_name, reference) => {
    const path = writeConfig(`file-${reference.length}.yaml`, `baseUrl: "https://acme.ilucca.net", apiKey: "${reference}"`);
    expect(() => luccaKeyOf(path)).toThrow(/is outside the directories secrets may come from/);
  });

  it('reads file: references under the config directory and under secrets.directory', () => {
    mkdirSync(join(root, 'vault'), { recursive: true });
    writeFileSync(join(root, 'vault', 'lucca.key'), 'vault-key');
    expect(luccaKeyOf(writeConfig('inside.yaml', 'baseUrl: "https://acme.ilucca.net", apiKey: "file:lucca.key"'))).toBe('lucca-key');
    expect(
      luccaKeyOf(
        writeConfig(
          'vault.yaml',
          'baseUrl: "https://acme.ilucca.net", apiKey: "file:../vault/lucca.key"',
          'secrets: { directory: ../vault }',
        ),
      ),
    ).toBe('vault-key');
  });

  it('refuses an env: reference outside the connectors’ prefix (another service’s variable)', () => {
    const env = { AWS_SECRET_ACCESS_KEY: 'aws-secret', LUCCA_CONNECTORS_ACME_LUCCA: 'lucca-key' };
    expect(() =>
      luccaKeyOf(writeConfig('env-out.yaml', 'baseUrl: "https://acme.ilucca.net", apiKey: "env:AWS_SECRET_ACCESS_KEY"'), env),
    ).toThrow(/not one the connectors may read: names start with LUCCA_CONNECTORS_/);
    expect(
      luccaKeyOf(writeConfig('env-in.yaml', 'baseUrl: "https://acme.ilucca.net", apiKey: "env:LUCCA_CONNECTORS_ACME_LUCCA"'), env),
    ).toBe('lucca-key');
  });

  it('refuses a tenant credential that is a deployment secret (the payload key sent to a tenant’s host)', () => {
    const problems = problemsOf(() =>
      loadConfig(writeConfig('reuse.yaml', 'baseUrl: "https://attacker.example", apiKey: "file:./payload.key"')),
    );
    expect(problems).toEqual([
      "tenants[0].lucca.apiKey: refers to the same secret as encryption.keys[0].key; a deployment secret is never sent to a tenant's hosts",
    ]);
    expect(problems.join()).not.toContain(PAYLOAD);
  });

  it('refuses a plain http:// URL to a non-loopback host: the key would cross the network in clear', () => {
    const problems = problemsOf(() => loadConfig(writeConfig('http.yaml', 'baseUrl: "http://acme.ilucca.net", apiKey: "file:lucca.key"')));
    expect(problems).toEqual([
      'tenants[0].lucca.baseUrl: must be an https:// URL (plain http:// only for loopback or a host listed in outbound.plainHttpHosts)',
    ]);
    expect(
      problemsOf(() => loadConfig(writeConfig('loopback.yaml', 'baseUrl: "http://127.0.0.1:4100/acme", apiKey: "file:lucca.key"'))),
    ).toEqual([]);
    expect(
      problemsOf(() =>
        loadConfig(
          writeConfig(
            'listed.yaml',
            'baseUrl: "http://sandbox:4100/acme", apiKey: "file:lucca.key"',
            'outbound: { plainHttpHosts: [sandbox] }',
          ),
        ),
      ),
    ).toEqual([]);
  });

  describe('an endpoint answering with an oversized body', () => {
    let server: Server;
    let baseUrl: string;
    beforeAll(async () => {
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      server = createServer((req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no Content-Length to refuse it early
        res.write('{"items":[');
        let sent = 0;
        const more = () => {
          while (sent < DEFAULT_MAX_RESPONSE_BYTES / chunk.length + 8) {
            sent++;
            if (!res.write(chunk)) return void res.once('drain', more);
          }
          res.end(']}');
        };
        res.on('error', () => undefined);
        more();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('is refused once past the cap, as a response we cannot read (not retried)', async () => {
      const client = new JsonHttpClient({ system: 'lucca', tenantId: 'acme', baseUrl, headers: {} });
      const err = await client.json({ method: 'GET', path: '/api/v3/users', schema: z.unknown() }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IntegrationError);
      expect(err).toMatchObject({
        kind: 'invalid-response',
        retryable: false,
        message: expect.stringMatching(/larger than 16777216 bytes/),
      });
    });
  });
});
