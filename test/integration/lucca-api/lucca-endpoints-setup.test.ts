import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { luccaEndpointLines } from '../../../src/setup/lucca-endpoints-setup';
import { startLuccaApiWorld, startRecordingReceiver, TENANT, type LuccaApiWorld, type RecordingReceiver } from './lucca-api-test-kit';
import { writeLuccaEventsConfig } from './lucca-events-config-kit';

/**
 * `lucca-connectors setup`'s Lucca step against the newer-API simulator over real sockets: it
 * registers our endpoint (echo handshake, secret written), finds it active the next time, and
 * reports an unreachable Lucca as a warning line instead of failing the deployment.
 */
describe('setup: the webhook endpoint of tenants with lucca.events', () => {
  let world: LuccaApiWorld;
  let recording: RecordingReceiver;

  beforeAll(async () => {
    world = await startLuccaApiWorld();
    recording = await startRecordingReceiver();
  });
  afterAll(async () => {
    await recording.receiver.stop();
    await world.stop();
  });

  it('registers the endpoint, writes its secret, and finds it active when run again', async () => {
    const loaded = writeLuccaEventsConfig(world, recording.receiver.urlFor(TENANT));
    const first = await luccaEndpointLines(loaded.config, loaded.path);
    expect(first.some((l) => l.startsWith(`lucca endpoint ${TENANT}: `) && l.includes('lucca-api.webhook-active'))).toBe(true);
    expect(existsSync(join(loaded.baseDir, 'secrets', 'lucca-webhook.secret'))).toBe(true);
    expect(await world.client().listWebhookEndpoints()).toHaveLength(1);
    const again = await luccaEndpointLines(loaded.config, loaded.path);
    expect(again.some((l) => l.includes('lucca-api.webhook-active'))).toBe(true);
    expect(await world.client().listWebhookEndpoints()).toHaveLength(1);
  });

  it('an unreachable Lucca is a warning line, not a failed setup', async () => {
    const loaded = writeLuccaEventsConfig(world, recording.receiver.urlFor(TENANT));
    const events = loaded.config.tenants[0]!.lucca.events!;
    Object.assign(events, { apiBaseUrl: 'http://127.0.0.1:9/acme', tokenUrl: 'http://127.0.0.1:9/connect/token' });
    const lines = await luccaEndpointLines(loaded.config, loaded.path);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.includes(': warning '))).toBe(true);
  });

  it('a config without lucca.events has nothing to do', async () => {
    const loaded = writeLuccaEventsConfig(world, recording.receiver.urlFor(TENANT));
    delete (loaded.config.tenants[0]!.lucca as { events?: unknown }).events;
    expect(await luccaEndpointLines(loaded.config, loaded.path)).toEqual([]);
  });
});
