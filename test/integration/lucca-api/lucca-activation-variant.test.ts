import { resolveSecret } from '../../../src/config/secret-reference';
import { TenantDirectory } from '../../../src/config/tenant-directory';
import { luccaEventsFindings } from '../../../src/onboarding/lucca-events-check';
import { startLuccaWebhookReceiver, type RunningLuccaWebhookReceiver } from '../../../src/webhooks/lucca-webhook-receiver';
import { startLuccaApiWorld, TENANT, type LuccaApiWorld } from './lucca-api-test-kit';
import { writeLuccaEventsConfig } from './lucca-events-config-kit';

/**
 * N8 false (docs/external-apis.md): Lucca runs the activation challenge after the creating call has answered, the
 * endpoint `inactive` meanwhile. A Lucca that does so must not have `tenants check` tell the customer that our
 * receiver did not answer: the check looks again for a few seconds and finds the endpoint active.
 */
describe('newer Lucca API variant: an activation challenge run after the call', () => {
  let world: LuccaApiWorld;
  let receiver: RunningLuccaWebhookReceiver;
  let directory: TenantDirectory;

  beforeAll(async () => {
    world = await startLuccaApiWorld();
    world.api.tenant(TENANT).variant = { activation: 'after-the-call' };
    receiver = await startLuccaWebhookReceiver({ secretsByTenant: { get: () => undefined }, onChange: async () => {} });
    directory = new TenantDirectory(writeLuccaEventsConfig(world, receiver.urlFor(TENANT)));
  });
  afterAll(async () => {
    await receiver.stop();
    await world.stop();
  });

  const check = () =>
    luccaEventsFindings({
      tenant: directory.tenant(TENANT),
      secret: (ref) => resolveSecret(ref, directory.loaded.baseDir),
      configDir: directory.loaded.baseDir,
      register: true,
    });

  it('registers the endpoint and reports it active once Lucca has run the challenge', async () => {
    const findings = await check();
    expect(findings.map((f) => [f.code, f.severity])).toContainEqual(['lucca-api.webhook-active', 'ok']);
    expect(findings.map((f) => f.code)).not.toContain('lucca-api.webhook-challenge-failed');
    expect(world.api.tenant(TENANT).endpoints.list()).toEqual([expect.objectContaining({ status: 'active' })]);
  });

  it('re-activates a suspended endpoint the same way', async () => {
    const [endpoint] = world.api.tenant(TENANT).endpoints.list();
    world.api.tenant(TENANT).endpoints.setStatus(endpoint!.id, 'suspended');
    const findings = await check();
    expect(findings.find((f) => f.code === 'lucca-api.webhook-active')?.detail).toMatch(/re-activated/);
  });
});
