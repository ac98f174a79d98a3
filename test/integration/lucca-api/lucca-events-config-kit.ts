import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type LoadedConfig } from '../../../src/config/load-config';
import { writeConfigFile } from '../../support/write-config-file';
import { CLIENT_ID, CLIENT_SECRET, TENANT, type LuccaApiWorld } from './lucca-api-test-kit';

/**
 * A config file for the tenant with `lucca.events` pointing at the simulators, secrets in files
 * next to it; the webhook secret file does not exist yet (`tenants check` writes it on registration).
 */
export function writeLuccaEventsConfig(
  world: LuccaApiWorld,
  webhookUrl: string,
  overrides: { webhookSecret?: string; withConnectors?: boolean } = {},
): LoadedConfig {
  const dir = mkdtempSync(join(tmpdir(), 'lucca-events-'));
  writeFileSync(join(dir, 'payload.key'), Buffer.alloc(32, 7).toString('base64'));
  writeFileSync(join(dir, 'lucca.key'), [...world.store.apiKeys.values()][0]!.key);
  writeFileSync(join(dir, 'client-id'), CLIENT_ID);
  writeFileSync(join(dir, 'client-secret'), CLIENT_SECRET);
  const path = writeConfigFile(join(dir, 'config.yaml'), {
    encryption: { keys: [{ id: 'k1', key: 'file:payload.key' }] },
    tenants: [
      {
        id: TENANT,
        lucca: {
          baseUrl: world.lucca.baseUrlFor(TENANT),
          apiKey: 'file:lucca.key',
          events: {
            clientId: 'file:client-id',
            clientSecret: 'file:client-secret',
            webhookUrl,
            webhookSecret: overrides.webhookSecret ?? 'file:secrets/lucca-webhook.secret',
            apiBaseUrl: world.api.apiBaseUrlFor(TENANT),
            tokenUrl: world.api.tokenUrl,
          },
        },
        // Sections only (nothing runs them here): they decide which change feeds hear about a change.
        ...(overrides.withConnectors ? connectorSections(dir) : {}),
      },
    ],
  });
  return loadConfig(path);
}

function connectorSections(dir: string) {
  writeFileSync(join(dir, 'target.secret'), 'not-used-here');
  return {
    elevo: { baseUrl: 'http://127.0.0.1:9', token: 'file:target.secret' },
    aequivalent: { baseUrl: 'http://127.0.0.1:9', apiKey: 'file:target.secret', webhookSecret: 'file:target.secret' },
  };
}
