import { loadConfig, parseConfigText, SANDBOX_CONFIG_PATH } from '../../../src/config/load-config';
import { nonLoopbackUrlPaths } from '../../../dev/local/non-loopback-url-paths';
import { loadSandboxOnlyConfig, NotASandboxConfigError } from '../../../dev/local/sandbox-only-config';

const config = (tenantLine: string) =>
  parseConfigText(`encryption: { keys: [ { id: k1, key: "env:P" } ] }\ntenants:\n  - ${tenantLine}\n`, 'x.yaml').config;

describe('a sandbox config talks to this machine only', () => {
  it('the shipped sandbox config names loopback hosts only', () => {
    expect(nonLoopbackUrlPaths(loadConfig(SANDBOX_CONFIG_PATH).config)).toEqual([]);
  });

  it('names the path (never the value) of every URL outside loopback', () => {
    expect(nonLoopbackUrlPaths(config('{ id: a, lucca: { baseUrl: "http://127.0.0.1:4100/a", apiKey: "env:K" } }'))).toEqual([]);
    expect(
      nonLoopbackUrlPaths(
        config(
          '{ id: a, lucca: { baseUrl: "https://a.ilucca.net", apiKey: "env:K" }, elevo: { baseUrl: "http://localhost:4200/a", token: "env:T" } }',
        ),
      ),
    ).toEqual(['tenants[0].lucca.baseUrl']);
    expect(nonLoopbackUrlPaths(config('{ id: a, lucca: { baseUrl: "https://localhost.evil.example/a", apiKey: "env:K" } }'))).toEqual([
      'tenants[0].lucca.baseUrl',
    ]);
  });

  it('npm start: the sandbox config when none is named, and the variable set for the rest of the system', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(loadSandboxOnlyConfig(env).path).toBe(SANDBOX_CONFIG_PATH);
    expect(env.LUCCA_CONNECTORS_CONFIG).toBe(SANDBOX_CONFIG_PATH);
  });

  it('npm start: a config that reaches other hosts is refused', () => {
    expect(() => loadSandboxOnlyConfig({ LUCCA_CONNECTORS_CONFIG: `${__dirname}/../../../config/compose-sandbox.yaml` })).toThrow(
      NotASandboxConfigError,
    );
  });
});
