import { ConfigError, parseConfigText } from '../../../src/config/load-config';

const config = (aequivalent: string, limits = '') =>
  [
    'encryption: { keys: [ { id: k1, key: "env:KEY" } ] }',
    ...(limits ? [limits] : []),
    'tenants:',
    '  - id: acme',
    '    lucca: { baseUrl: "https://acme.ilucca.net", apiKey: "env:LUCCA" }',
    `    aequivalent: { baseUrl: "https://aeq.example", apiKey: "env:AEQ", webhookSecret: "env:WH"${aequivalent} }`,
  ].join('\n');

function problemsOf(text: string): string[] {
  try {
    parseConfigText(text, 'c.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('screening follow-up settings', () => {
  it('refuses a poll interval under the deployment floor (5 minutes by default), naming the field', () => {
    expect(problemsOf(config(', pollIntervalMinutes: 1'))).toEqual([
      'tenants[0].aequivalent.pollIntervalMinutes: must be at least 5 (limits.minPollIntervalMinutes)',
    ]);
    expect(problemsOf(config(', pollIntervalMinutes: 5'))).toEqual([]);
  });

  it('lets a deployment lower the floor explicitly (tests), and defaults the deadline and alert threshold', () => {
    expect(problemsOf(config(', pollIntervalMinutes: 0.05', 'limits: { minPollIntervalMinutes: 0.01 }'))).toEqual([]);
    const { config: parsed } = parseConfigText(config(''), 'c.yaml');
    expect(parsed.tenants[0]!.aequivalent).toMatchObject({ pollIntervalMinutes: 360, followUpDeadlineDays: 60, writeBackAlertHours: 24 });
    expect(parsed.limits.minPollIntervalMinutes).toBe(5);
    expect(parsed.temporal.deploymentName).toBe('lucca-connectors');
  });
});
