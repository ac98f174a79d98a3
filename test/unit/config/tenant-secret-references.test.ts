import { connectorSections, loadConfig } from '../../../src/config/load-config';
import { tenantSecretReferences } from '../../../src/config/tenant-secret-references';

describe('tenant secret references, read from the config schema', () => {
  it('lists the Lucca key and every secret of the connector sections a tenant has', () => {
    const acme = loadConfig('config/sandbox.yaml').config.tenants.find((t) => t.id === 'acme')!;
    expect(tenantSecretReferences(acme, connectorSections())).toEqual([
      ['lucca.apiKey', acme.lucca.apiKey],
      ['elevo.token', acme.elevo!.token],
      ['aequivalent.apiKey', acme.aequivalent!.apiKey],
      ['aequivalent.webhookSecret', acme.aequivalent!.webhookSecret],
    ]);
  });

  it('skips the sections a tenant does not have', () => {
    const acme = loadConfig('config/sandbox.yaml').config.tenants.find((t) => t.id === 'acme')!;
    const { elevo: _elevo, aequivalent: _aequivalent, ...luccaOnly } = acme;
    expect(tenantSecretReferences(luccaOnly, connectorSections())).toEqual([['lucca.apiKey', acme.lucca.apiKey]]);
  });

  it('lists the secrets of nested sections (the newer Lucca API credentials)', () => {
    const acme = loadConfig('config/sandbox.yaml').config.tenants.find((t) => t.id === 'acme')!;
    const events = {
      clientId: 'env:ACME_LUCCA_CLIENT_ID',
      clientSecret: 'file:secrets/acme-lucca-client',
      webhookUrl: 'https://hooks.example/webhooks/lucca/acme',
      webhookSecret: 'file:secrets/acme-lucca-webhook',
      tokenUrl: 'https://accounts.world.luccasoftware.com/connect/token',
    };
    const withEvents = { ...acme, elevo: undefined, aequivalent: undefined, lucca: { ...acme.lucca, events } };
    expect(tenantSecretReferences(withEvents, connectorSections())).toEqual([
      ['lucca.apiKey', acme.lucca.apiKey],
      ['lucca.events.clientId', events.clientId],
      ['lucca.events.clientSecret', events.clientSecret],
      ['lucca.events.webhookSecret', events.webhookSecret],
    ]);
  });
});
