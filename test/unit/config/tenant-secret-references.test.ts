import { loadConfig } from '../../../src/config/load-config';
import { tenantSecretReferences } from '../../../src/config/tenant-secret-references';

describe('tenant secret references, read from the config schema', () => {
  it('lists the Lucca key and every secret of the connector sections a tenant has', () => {
    const acme = loadConfig('config/sandbox.yaml').config.tenants.find((t) => t.id === 'acme')!;
    expect(tenantSecretReferences(acme)).toEqual([
      ['lucca.apiKey', acme.lucca.apiKey],
      ['elevo.token', acme.elevo!.token],
      ['aequivalent.apiKey', acme.aequivalent!.apiKey],
      ['aequivalent.webhookSecret', acme.aequivalent!.webhookSecret],
    ]);
  });

  it('skips the sections a tenant does not have', () => {
    const acme = loadConfig('config/sandbox.yaml').config.tenants.find((t) => t.id === 'acme')!;
    const { elevo: _elevo, aequivalent: _aequivalent, ...luccaOnly } = acme;
    expect(tenantSecretReferences(luccaOnly)).toEqual([['lucca.apiKey', acme.lucca.apiKey]]);
  });
});
