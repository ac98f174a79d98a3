import { ConfigError, parseConfigText } from '../../../src/config/load-config';

const configText = (events: string) =>
  [
    'encryption: { keys: [ { id: k1, key: "file:payload.key" } ] }',
    'tenants:',
    '  - id: acme',
    '    lucca:',
    '      baseUrl: https://acme.ilucca.net',
    '      apiKey: file:acme-lucca.key',
    `      events: ${events}`,
  ].join('\n');

function problemsOf(text: string): string[] {
  try {
    parseConfigText(text, '/tmp/config.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('lucca.events in the config', () => {
  it('takes secret references, a webhook URL with its secret, and defaults the token URL to Lucca’s', () => {
    const { config } = parseConfigText(
      configText(
        '{ clientId: "env:ACME_CLIENT_ID", clientSecret: "file:acme-client.secret", webhookUrl: "https://hooks.example.com/webhooks/lucca/acme", webhookSecret: "file:acme-webhook.secret" }',
      ),
      '/tmp/config.yaml',
    );
    expect(config.tenants[0]!.lucca.events).toEqual({
      clientId: 'env:ACME_CLIENT_ID',
      clientSecret: 'file:acme-client.secret',
      webhookUrl: 'https://hooks.example.com/webhooks/lucca/acme',
      webhookSecret: 'file:acme-webhook.secret',
      tokenUrl: 'https://accounts.world.luccasoftware.com/connect/token',
    });
  });

  it('refuses an inline secret, with the path of the field', () => {
    const problems = problemsOf(configText('{ clientId: "env:ACME_CLIENT_ID", clientSecret: "s3cr3t-inline" }'));
    expect(problems.join('\n')).toMatch(/tenants\[0\]\.lucca\.events\.clientSecret/);
    expect(problems.join('\n')).not.toContain('s3cr3t-inline');
  });

  it('refuses a webhook URL without the secret that verifies its deliveries', () => {
    const problems = problemsOf(configText('{ clientId: "env:A", clientSecret: "env:B", webhookUrl: "https://hooks.example.com/x" }'));
    expect(problems.join('\n')).toMatch(/lucca\.events\.webhookSecret/);
  });
});
