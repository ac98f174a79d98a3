import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { IntegrationError } from '../../../src/integrations/http/integration-error';
import { EMPLOYEE_TOPICS } from '../../../src/integrations/lucca-api/employee-topics';
import { API_VERSION } from '../../../dev/simulators/lucca-api';
import { startRecordingReceiver, startLuccaApiWorld, TENANT, type LuccaApiWorld, type RecordingReceiver } from './lucca-api-test-kit';

/** The newer Lucca API client against the simulator over HTTP: OAuth2 tokens, webhook-endpoints, events feed. */
describe('LuccaApiClient against the simulated Lucca API', () => {
  let clock = Date.parse('2026-03-02T09:00:00Z');
  const now = () => new Date(clock);
  let world: LuccaApiWorld;
  let rec: RecordingReceiver;

  beforeAll(async () => {
    world = await startLuccaApiWorld({ tokenTtlSeconds: 600, now });
    rec = await startRecordingReceiver();
  });
  afterAll(async () => {
    await rec.receiver.stop();
    await world.stop();
  });

  /** A request with a given bearer token, outside the client. */
  const rawEvents = async (token: string) => {
    const res = await request(`${world.api.apiBaseUrlFor(TENANT)}/lucca-api/events`, {
      headers: { authorization: `Bearer ${token}`, 'api-version': API_VERSION },
    });
    await res.body.dump();
    return res.statusCode;
  };

  it('fetches one token for concurrent calls, and a new one shortly before it expires', async () => {
    const client = world.client({ now: () => clock });
    await Promise.all([client.eventsPage(undefined, 5), client.eventsPage(undefined, 5), client.listWebhookEndpoints()]);
    expect(client.tokens.fetchCount).toBe(1);
    const first = await client.tokens.get();
    clock += 590_000; // 10 s before the 600-s expiry: inside the refresh margin
    await client.eventsPage(undefined, 5);
    expect(client.tokens.fetchCount).toBe(2);
    clock += 20_000;
    // The first token has now expired at Lucca: refused, while the client already holds a fresh one.
    expect(await rawEvents(first)).toBe(401);
    expect(await rawEvents(await client.tokens.get())).toBe(200);
  });

  it('recovers from a token Lucca refuses before its announced expiry (401 → new token → same call)', async () => {
    const client = world.client({ now: () => clock });
    await client.listWebhookEndpoints();
    world.api.expireTokens(TENANT);
    const issued = world.api.tokens.issuedCount;
    await expect(client.eventsPage(undefined, 5)).resolves.toMatchObject({ items: expect.any(Array) });
    expect(client.tokens.fetchCount).toBe(2);
    expect(world.api.tokens.issuedCount).toBe(issued + 1);
  });

  it('fails at once, not retryable, when Lucca refuses the client credentials', async () => {
    const client = world.client({ clientSecret: 'wrong-secret' });
    const err = await client.listWebhookEndpoints().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ kind: 'authentication', retryable: false });
    expect(String((err as Error).message)).not.toContain('wrong-secret');
  });

  it('reports a missing scope as a permission error (403)', async () => {
    world.api.tokens.addClient({ tenantId: TENANT, clientId: 'events-only', clientSecret: 's3', scopes: ['events.readonly'] });
    const client = world.client({ clientId: 'events-only', clientSecret: 's3', scopes: ['events.readonly'] });
    await expect(client.eventsPage(undefined, 5)).resolves.toBeDefined();
    await expect(client.listWebhookEndpoints()).rejects.toMatchObject({ kind: 'permission', status: 403 });
  });

  it('registers an endpoint that passes the echo handshake: active, its secret shown once', async () => {
    const client = world.client({ now: () => clock });
    const created = await client.createWebhookEndpoint({ name: 'ours', webhookUrl: rec.receiver.urlFor(TENANT), topics: EMPLOYEE_TOPICS });
    expect(created.status).toBe('active');
    expect(created.secret.length).toBeGreaterThanOrEqual(32);
    const listed = (await client.listWebhookEndpoints()).find((e) => e.id === created.id)!;
    expect(listed).toMatchObject({ status: 'active', webhookUrl: rec.receiver.urlFor(TENANT) });
    expect(listed).not.toHaveProperty('secret');
  });

  it('leaves an endpoint that does not echo inactive, and activates it once it does', async () => {
    let echo = false;
    const server: Server = createServer((req, res) => {
      const value = new URL(req.url ?? '/', 'http://x').searchParams.get('echo') ?? '';
      res.writeHead(200, { 'content-type': 'text/plain' }).end(echo ? value : 'ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = world.client({ now: () => clock });
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const created = await client.createWebhookEndpoint({ name: 'not echoing', webhookUrl: url, topics: ['employee.updated'] });
      expect(created.status).toBe('inactive');
      echo = true;
      await expect(client.setWebhookEndpointStatus(created.id, 'active')).resolves.toMatchObject({ status: 'active' });
    } finally {
      server.close();
    }
  });

  it('never follows a page link outside the tenant events feed (the token stays with Lucca)', async () => {
    let called = false;
    const server = createServer((_req, res) => {
      called = true;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = world.client({ now: () => clock });
      const evil = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lucca-api/events?page=x`;
      await expect(client.eventsPage(evil)).rejects.toMatchObject({ kind: 'invalid-response' });
      expect(called).toBe(false);
    } finally {
      server.close();
    }
  });

  it('pages the events feed oldest first with opaque page links', async () => {
    const client = world.client({ now: () => clock });
    const ids = [...world.store.users.keys()].slice(0, 7);
    const before = world.api.tenant(TENANT).events.all().length;
    for (const id of ids) world.store.updateUser(id, { jobTitle: 'Analyste' });
    const seen: string[] = [];
    let page = await client.eventsPage(undefined, 3);
    for (;;) {
      seen.push(...page.items.map((e) => e.id));
      const next = page.links?.next?.href;
      if (!next) break;
      page = await client.eventsPage(next, 3);
    }
    expect(seen).toHaveLength(before + ids.length);
    expect([...seen].sort((a, b) => Number(a) - Number(b))).toEqual(seen);
  });

  it('takes delivery faults and token expiry through its admin routes too (for manual runs)', async () => {
    const admin = async (path: string, body?: unknown) => {
      const res = await request(`${world.api.url}/_sandbox/${TENANT}/${path}`, {
        method: 'POST',
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
      await res.body.dump();
      return res.statusCode;
    };
    expect(await admin('delivery-faults', [{ kind: 'late', ms: 5 }, { kind: 'duplicate' }])).toBe(200);
    expect(world.api.tenant(TENANT).deliverer.faults.splice(0)).toEqual([{ kind: 'late', ms: 5 }, { kind: 'duplicate' }]);
    expect(await admin('delivery-faults', [{ kind: 'explode' }])).toBe(400);
    const client = world.client({ now: () => clock });
    const token = await client.tokens.get();
    expect(await rawEvents(token)).toBe(200);
    expect(await admin('expire-tokens')).toBe(200);
    expect(await rawEvents(token)).toBe(401);
  });
});
