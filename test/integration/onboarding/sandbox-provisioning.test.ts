import { randomUUID } from 'node:crypto';
import type { ConnectorName } from '../../../src/connectors/registry';
import type { RunningSimulator } from '../../../dev/simulators/connector-simulator';
import { provisionSandboxTenant } from '../../../dev/local/sandbox-tenant-provisioning';
import { checkTenant } from '../../../src/onboarding/tenant-check';
import { AequivalentSandbox } from '../../../dev/simulators/aequivalent';
import { ElevoSandbox } from '../../../dev/simulators/elevo';
import { LuccaSandbox } from '../../../dev/simulators/lucca';
import { tenantSchemaFor } from '../../../src/config/config-schema';
import { connectorSections } from '../../../src/config/load-config';

/** `npm start`: a tenant added to the config with the simulators' URLs gets accounts there and passes its check. */
describe('sandbox accounts for a tenant added while npm start runs', () => {
  let lucca: LuccaSandbox;
  let elevo: ElevoSandbox;
  let aequivalent: AequivalentSandbox;
  beforeAll(async () => {
    lucca = await LuccaSandbox.start({ requestsPerMinute: 0 });
    elevo = await ElevoSandbox.start({ tenants: [] });
    aequivalent = await AequivalentSandbox.start();
  });
  afterAll(async () => {
    await Promise.allSettled([lucca.stop(), elevo.stop(), aequivalent.stop()]);
  });

  it('generates the Lucca company, registers the Elevo and Aequivalent accounts, and the check passes', async () => {
    const secrets: Record<string, string> = {
      'env:L': randomUUID(),
      'env:E': 'elevo-token-initech',
      'env:A': 'aeq-key-initech',
      'env:W': 'aeq-webhook-initech',
    };
    const tenant = tenantSchemaFor(connectorSections()).parse({
      id: 'initech',
      lucca: { baseUrl: `${lucca.url}/initech`, apiKey: 'env:L' },
      elevo: { baseUrl: `${elevo.url}/initech`, token: 'env:E' },
      aequivalent: { baseUrl: `${aequivalent.url}/initech`, apiKey: 'env:A', webhookSecret: 'env:W' },
    });
    const targets = new Map<ConnectorName, RunningSimulator>([
      ['elevo-user-sync', elevo],
      ['aequivalent-screening', aequivalent],
    ]);
    const secret = (ref: string) => secrets[ref]!;
    const provisioned = provisionSandboxTenant({ lucca, targets, stop: async () => undefined }, tenant, {
      secret,
      webhookUrlFor: (t) => `http://127.0.0.1:1/webhooks/aequivalent/${t}`,
    });
    expect(provisioned).toEqual(['Lucca', 'elevo-user-sync', 'aequivalent-screening']);
    const report = await checkTenant({ tenant, secret });
    expect(report.lucca[0]!.code).toBe('lucca.key-ok');
    expect(report.connectors.map((c) => [c.connector, c.findings.filter((f) => f.severity === 'blocking').map((f) => f.code)])).toEqual([
      ['elevo-user-sync', []],
      ['aequivalent-screening', []],
    ]);
    // A second reload of the same tenant keeps its data rather than generating it again.
    expect(provisionSandboxTenant({ lucca, targets, stop: async () => undefined }, tenant, { secret, webhookUrlFor: () => '' })).toEqual([
      'elevo-user-sync',
    ]);
  });
});
