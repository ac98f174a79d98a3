import { ConfigError, parseConfigText } from '../../src/config/load-config';
import { countFixtures, loadFixtures } from './support/bad-input-fixtures';

/** Invalid configuration files stop the start-up with the path and reason of every bad field. */
describe('bad input: configuration files', () => {
  const fixtures = loadFixtures('config');

  it('keeps at least 40 bad-input fixtures in test/fixtures/bad-input', () => {
    expect(countFixtures()).toBeGreaterThanOrEqual(40);
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
  });

  it.each(fixtures.map((f) => [f.id, f] as const))('%s', (_id, fixture) => {
    const path = `/etc/lucca-connectors/${fixture.id}.${fixture.format}`;
    let error: unknown;
    try {
      parseConfigText(fixture.text, path);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.path).toBe(path);
    for (const expected of fixture.expect.problems) {
      expect(configError.problems.some((p) => p.startsWith(expected))).toBe(true);
    }
    // The message names the file and the fields, never a secret written inline.
    expect(configError.message).toContain(path);
    expect(configError.message).not.toContain('6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f');
  });
});
