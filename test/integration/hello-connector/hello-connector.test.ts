import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ConfigError, connectorSections, parseConfigText } from '../../../src/config/load-config';
import { CONNECTORS, connectorByName } from '../../../src/connectors/registry';
import { LuccaSandbox, generateLuccaTenant } from '../../../dev/simulators/lucca';
import { helloConnector } from '../../hello-connector/connector/definition';
import type { HelloSyncResult } from '../../hello-connector/connector/contract';
import { HelloSimulator } from '../../hello-connector/hello-simulator';
import { resolveSpecifier, specifiers, SRC, sourceFiles } from '../../unit/code-shape/source-files';
import { startConnectorHarness, type ConnectorHarness } from '../../support/connector-harness';
import { writeTestConfigFile } from '../../support/test-config-file';

/**
 * Issue 26: a connector is three folders and one registry line. The "hello" connector (test/hello-connector/, laid
 * out as src/workflows/hello, src/activities/hello and src/connectors/hello would be) is added to the registry by
 * the one line below, and runs end to end on the dev server: config validated with its section, its workflow
 * bundled, its activity registered, Lucca read through the shared client, Hello written through its own.
 */
const CONNECTORS_WITH_HELLO = [...CONNECTORS, helloConnector];
const HELLO_DIR = join(__dirname, '..', '..', 'hello-connector');

function helloTenantYaml(helloUrl: string): string {
  return [
    '  - id: acme',
    '    lucca: { baseUrl: "http://127.0.0.1:9/acme", apiKey: "env:LUCCA_CONNECTORS_TEST_KEY" }',
    `    hello: { baseUrl: "${helloUrl}/acme", token: "env:LUCCA_CONNECTORS_TEST_HELLO" }`,
  ].join('\n');
}

describe('a third connector, added by one registry line', () => {
  it('has its config section validated by its own schema, and refused by a registry that lacks it', () => {
    const { configPath, yaml } = writeTestConfigFile(mkdtempSync(join(tmpdir(), 'lc-hello-')), {
      taskQueue: 'hello-config',
      tenantsYaml: [helloTenantYaml('http://127.0.0.1:1')],
    });
    const loaded = parseConfigText(yaml, configPath, connectorSections(CONNECTORS_WITH_HELLO));
    const { definition, schedule } = connectorByName(loaded.config.tenants[0]!, 'hello', CONNECTORS_WITH_HELLO);
    expect(definition).toBe(helloConnector);
    expect(schedule.at).toEqual({ hour: 8, minute: 0 }); // the section's own default
    expect(() => parseConfigText(yaml, configPath)).toThrow(ConfigError);
    expect(() => parseConfigText(yaml, configPath)).toThrow(/unknown field\(s\) "hello"/);
    const typo = yaml.replace('token:', 'tokn:');
    expect(() => parseConfigText(typo, configPath, connectorSections(CONNECTORS_WITH_HELLO))).toThrow(/tenants\[0\]\.hello/);
  });

  it('needs no line in src/: nothing there names it, and it imports only shared kernels and its own folders', () => {
    const mentions = sourceFiles(SRC).filter((file) => /\bhello\b/i.test(readFileSync(file, 'utf8')));
    expect(mentions.map((file) => relative(SRC, file))).toEqual([]);
    const files = sourceFiles(HELLO_DIR);
    expect(files.length).toBeGreaterThanOrEqual(7);
    const outside = files.flatMap((file) =>
      specifiers(file)
        .map((specifier) => resolveSpecifier(file, specifier))
        .filter((target): target is string => !!target && !target.startsWith(HELLO_DIR) && !target.startsWith(SRC))
        .map((target) => `${relative(HELLO_DIR, file)} -> ${target}`),
    );
    expect(outside).toEqual([]);
    expect(readdirSync(HELLO_DIR).filter((name) => statSync(join(HELLO_DIR, name)).isDirectory())).toEqual([
      'activities',
      'connector',
      'workflows',
    ]);
  });

  describe('a run on the dev server', () => {
    let harness: ConnectorHarness;
    let lucca: LuccaSandbox;
    let hello: HelloSimulator;

    beforeAll(async () => {
      lucca = await LuccaSandbox.start({ requestsPerMinute: 0 });
      const luccaKey = randomUUID();
      lucca.addTenant('acme', generateLuccaTenant({ tenantId: 'acme', apiKey: luccaKey, employees: 40, seed: 7 }));
      hello = await HelloSimulator.start();
      hello.addTenant('acme', 'hello-token-acme');
      harness = await startConnectorHarness({
        connectors: CONNECTORS_WITH_HELLO,
        tenants: (secretRef) => [
          {
            id: 'acme',
            luccaBaseUrl: lucca.baseUrlFor('acme'),
            luccaApiKey: luccaKey,
            extraSections: { hello: { baseUrl: `${hello.url}/acme`, token: secretRef('acme-hello.token', 'hello-token-acme') } },
          },
        ],
      });
    }, 180_000);
    afterAll(async () => {
      await harness?.stop();
      await hello?.stop();
      await lucca?.stop();
    });

    it('records every active Lucca employee in Hello through its workflow and activity', async () => {
      const { definition } = connectorByName(harness.tenants.tenant('acme'), 'hello', CONNECTORS_WITH_HELLO);
      const result = await harness.env.client.workflow.execute<(input: { tenantId: string }) => Promise<HelloSyncResult>>(
        definition.workflowType,
        { workflowId: definition.runWorkflowId('acme', '2026-12-07'), taskQueue: harness.taskQueue, args: [{ tenantId: 'acme' }] },
      );
      const inLucca = await harness.tenants.lucca('acme').countUsers();
      expect(inLucca).toBeGreaterThan(0);
      expect(result).toEqual({ recorded: inLucca });
      expect(hello.recorded.get('acme')!.size).toBe(inLucca);
    });
  });
});
