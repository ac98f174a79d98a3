import { configSchemaFor } from '../../../src/config/config-schema';
import { connectorSections } from '../../../src/config/load-config';

const configSchema = configSchemaFor(connectorSections());
import { describeTemporalSecurity, temporalConnectionOptions } from '../../../src/config/temporal-connection-options';

const base = {
  encryption: { keys: [{ id: 'k1', key: 'env:K' }] },
  tenants: [{ id: 'acme', lucca: { baseUrl: 'https://acme.ilucca.net', apiKey: 'env:L' } }],
};
const temporalOf = (temporal: unknown) => configSchema.parse({ ...base, temporal }).temporal;
const secrets: Record<string, string> = {
  'file:ca.pem': 'CA PEM',
  'file:client.pem': 'CLIENT PEM',
  'file:client.key': 'CLIENT KEY',
  'env:TEMPORAL_API_KEY': 'cloud-key',
};
const secret = (reference: string) => {
  const value = secrets[reference];
  if (value === undefined) throw new Error(`unexpected reference ${reference}`);
  return value;
};

describe('temporal connection options from the config', () => {
  it('no tls section and no API key: a plain connection to the address', () => {
    const options = temporalConnectionOptions(temporalOf({}), '10.0.0.5:7233', secret);
    expect(options).toEqual({ address: '10.0.0.5:7233' });
    expect(describeTemporalSecurity(options)).toBe('no TLS');
  });

  it('mutual TLS: CA, client certificate and key resolved from their references, server name passed on', () => {
    const options = temporalConnectionOptions(
      temporalOf({
        tls: {
          caCertificate: 'file:ca.pem',
          clientCertificate: 'file:client.pem',
          clientKey: 'file:client.key',
          serverName: 'temporal.internal',
        },
      }),
      'temporal:7233',
      secret,
    );
    expect(options.tls).toEqual({
      serverNameOverride: 'temporal.internal',
      serverRootCACertificate: Buffer.from('CA PEM\n'),
      clientCertPair: { crt: Buffer.from('CLIENT PEM\n'), key: Buffer.from('CLIENT KEY\n') },
    });
    expect(describeTemporalSecurity(options)).toBe('mutual TLS');
  });

  it('an API key (Temporal Cloud) turns TLS on with the system roots', () => {
    const options = temporalConnectionOptions(
      temporalOf({ address: 'acme.a1b2c.tmprl.cloud:7233', apiKey: 'env:TEMPORAL_API_KEY' }),
      'acme.a1b2c.tmprl.cloud:7233',
      secret,
    );
    expect(options).toEqual({ address: 'acme.a1b2c.tmprl.cloud:7233', apiKey: 'cloud-key', tls: true });
    expect(describeTemporalSecurity(options)).toBe('TLS + API key');
  });

  it('refuses inline secrets, a client certificate without its key, and a retention under one day', () => {
    const issues = (temporal: unknown) =>
      configSchema.safeParse({ ...base, temporal }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues({ apiKey: 'abc123' })).toEqual([expect.stringContaining('temporal.apiKey: must be a secret reference')]);
    expect(issues({ tls: { clientCertificate: 'file:client.pem' } })).toEqual([
      'temporal.tls.clientKey: clientCertificate and clientKey go together (mutual TLS needs both)',
    ]);
    expect(issues({ retentionDays: 0 })).toHaveLength(1);
    expect(temporalOf({}).retentionDays).toBe(30);
  });
});
