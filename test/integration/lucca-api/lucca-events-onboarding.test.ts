import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createLuccaEventsSweep } from '../../../src/activities/lucca-events-activities';
import { SANDBOX_CONFIG_PATH, loadConfig } from '../../../src/config/load-config';
import { luccaApiClientForTenant } from '../../../src/integrations/lucca-api/lucca-api-client-for-tenant';
import { startSandboxLuccaApi } from '../../../dev/simulators/lucca-api';
import { resolveSecret } from '../../../src/config/secret-reference';
import { TenantDirectory } from '../../../src/config/tenant-directory';
import { luccaEventsFindings } from '../../../src/onboarding/lucca-events-check';
import { checkTenant } from '../../../src/onboarding/tenant-check';
import { startLuccaWebhookReceiver, type RunningLuccaWebhookReceiver } from '../../../src/webhooks/lucca-webhook-receiver';
import { startLuccaReceiverFromRuntime } from '../../../src/webhooks/lucca-receiver-from-runtime';
import type { Client } from '@temporalio/client';
import { writeFileSync } from 'node:fs';
import type { EmployeesChanged } from '../../../src/shared/lucca-change-feed-contract';
import { waitFor } from '../../support/wait-for';
import { employeeIds, startLuccaApiWorld, TENANT, type LuccaApiWorld } from './lucca-api-test-kit';
import { writeLuccaEventsConfig } from './lucca-events-config-kit';

/** `tenants check` registers our endpoint at Lucca and stores its secret; the receiver then verifies deliveries with it. */
describe('tenants check: the newer Lucca API and our webhook-endpoint', () => {
  let world: LuccaApiWorld;
  let receiver: RunningLuccaWebhookReceiver;
  let directory: TenantDirectory;
  const changes: EmployeesChanged[] = [];

  beforeAll(async () => {
    world = await startLuccaApiWorld();
    // The receiver resolves the secret per delivery, from the file the check will write.
    receiver = await startLuccaWebhookReceiver({
      secretsByTenant: {
        get: () => {
          try {
            return directory.secret(directory.tenant(TENANT).lucca.events!.webhookSecret!);
          } catch {
            return undefined;
          }
        },
      },
      onChange: async (_t, change) => void changes.push(change),
    });
    directory = new TenantDirectory(writeLuccaEventsConfig(world, receiver.urlFor(TENANT)));
  });
  afterAll(async () => {
    await receiver.stop();
    await world.stop();
  });

  const check = (register = true) => {
    const { loaded } = directory;
    return luccaEventsFindings({
      tenant: directory.tenant(TENANT),
      secret: (ref) => resolveSecret(ref, loaded.baseDir),
      configDir: loaded.baseDir,
      register,
    });
  };
  const endpoints = () => world.api.tenant(TENANT).endpoints.list();

  it('registers the endpoint (echo handshake passed), writes its secret owner-only, and deliveries verify with it', async () => {
    const findings = await check();
    expect(findings.map((f) => [f.code, f.severity])).toEqual([
      ['lucca-api.events-readable', 'ok'],
      ['lucca-api.webhook-active', 'ok'],
    ]);
    expect(endpoints()).toHaveLength(1);
    expect(endpoints()[0]).toMatchObject({ status: 'active', webhookUrl: receiver.urlFor(TENANT) });
    const secretPath = join(directory.loaded.baseDir, 'secrets/lucca-webhook.secret');
    expect(readFileSync(secretPath, 'utf8').trim()).toBe(endpoints()[0]!.secret);
    expect(statSync(secretPath).mode & 0o777).toBe(0o600);
    // No secret in what the check reports.
    expect(JSON.stringify(findings)).not.toContain(endpoints()[0]!.secret);
    const [id] = employeeIds(world);
    world.store.updateUser(id!, { jobTitle: 'Directrice financière' });
    await waitFor('the delivery', () => changes.length === 1);
    expect(changes[0]).toMatchObject({ employeeIds: [id], source: 'webhook' });
  });

  it('finds the endpoint active the next time, without registering another', async () => {
    expect((await check()).map((f) => f.code)).toEqual(['lucca-api.events-readable', 'lucca-api.webhook-active']);
    expect(endpoints()).toHaveLength(1);
  });

  it('re-activates a suspended endpoint (Lucca runs the challenge again), or only reports it when told not to write', async () => {
    world.api.tenant(TENANT).endpoints.setStatus(endpoints()[0]!.id, 'suspended');
    expect((await check(false)).map((f) => [f.code, f.severity])).toContainEqual(['lucca-api.webhook-missing', 'warning']);
    const findings = await check();
    expect(findings.find((f) => f.code === 'lucca-api.webhook-active')?.detail).toMatch(/re-activated/);
    expect(endpoints()[0]!.status).toBe('active');
  });

  it('is part of the tenant check, as Lucca findings that never block the connectors', async () => {
    world.api.tenant(TENANT).endpoints.setStatus(endpoints()[0]!.id, 'suspended');
    const { loaded } = directory;
    const report = await checkTenant({
      tenant: directory.tenant(TENANT),
      secret: (ref) => resolveSecret(ref, loaded.baseDir),
      configDir: loaded.baseDir,
    });
    expect(report.lucca.map((f) => f.code)).toEqual(
      expect.arrayContaining(['lucca.key-ok', 'lucca-api.events-readable', 'lucca-api.webhook-active']),
    );
    expect(report.wroteToLucca).toBe(true);
  });

  it('warns (does not block) when Lucca refuses the OAuth client', async () => {
    world.api.tokens.addClient({
      tenantId: TENANT,
      clientId: 'acme-connectors',
      clientSecret: 'rotated-at-lucca',
      scopes: ['events.readonly'],
    });
    try {
      const findings = await check();
      expect(findings).toEqual([expect.objectContaining({ code: 'lucca-api.client-refused', severity: 'warning' })]);
    } finally {
      world.api.tokens.addClient({
        tenantId: TENANT,
        clientId: 'acme-connectors',
        clientSecret: 'client-secret-for-tests-only',
        scopes: ['webhook-endpoints.readwrite', 'events.readonly'],
      });
    }
  });

  it('sweeps the events feed through the tenant directory (the activity 23a wires)', async () => {
    const sweep = createLuccaEventsSweep(directory);
    const start = await sweep(TENANT, null);
    expect(start).toMatchObject({ employeeIds: [], eventIds: [] });
    const [, a, b] = employeeIds(world);
    world.store.updateUser(a!, { jobTitle: 'Analyste crédit' });
    world.store.deleteUser(b!);
    const next = await sweep(TENANT, start.cursor);
    expect(next.employeeIds).toEqual([a, b]);
    expect(next.eventIds).toHaveLength(2);
  });

  it('runs in the embedded sandbox only for tenants that configure lucca.events, with their OAuth client', async () => {
    expect(await startSandboxLuccaApi(world.lucca, loadConfig(SANDBOX_CONFIG_PATH), 0)).toBeUndefined();
    const api = await startSandboxLuccaApi(world.lucca, directory.loaded, 0);
    try {
      const tenant = directory.tenant(TENANT);
      const events = { ...tenant.lucca.events!, apiBaseUrl: api!.apiBaseUrlFor(TENANT), tokenUrl: api!.tokenUrl };
      const client = luccaApiClientForTenant({ ...tenant, lucca: { ...tenant.lucca, events } }, (ref) =>
        resolveSecret(ref, directory.loaded.baseDir),
      );
      await expect(client.eventsPage(undefined, 1)).resolves.toMatchObject({ items: [] });
    } finally {
      await api?.stop();
    }
  });

  it('the webhook process reads the endpoint secret per delivery: a re-registered endpoint needs no restart', async () => {
    // This tenant has no connector enabled: nothing to signal, so no Temporal client is used.
    const fromRuntime = await startLuccaReceiverFromRuntime(directory, {} as Client);
    const gone = endpoints()[0]!;
    world.api.tenant(TENANT).endpoints.setStatus(gone.id, 'inactive');
    try {
      const stored = world.api
        .tenant(TENANT)
        .endpoints.create({ name: 'from runtime', webhookUrl: fromRuntime.urlFor(TENANT), topics: ['employee.updated'] });
      world.api.tenant(TENANT).endpoints.setStatus(stored.id, 'active');
      writeFileSync(join(directory.loaded.baseDir, 'secrets/lucca-webhook.secret'), `${stored.secret}\n`);
      const before = world.api.deliveryStats(TENANT).answers['200'] ?? 0;
      world.store.updateUser(employeeIds(world)[3]!, { jobTitle: 'Paysagiste' });
      await world.api.deliveriesSettled(TENANT);
      expect(world.api.deliveryStats(TENANT).answers['200']).toBe(before + 1);
    } finally {
      await fromRuntime.stop();
    }
  });
});
