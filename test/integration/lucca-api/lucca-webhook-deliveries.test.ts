import { luccaEventKey } from '../../../src/integrations/lucca-api/event-key';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { EMPLOYEE_TOPICS } from '../../../src/integrations/lucca-api/employee-topics';
import { signLuccaDelivery } from '../../../src/integrations/lucca-api/lucca-webhook-signature';
import { sweepLuccaEventsWith } from '../../../src/integrations/lucca-api/lucca-events-sweep';
import { waitFor } from '../../support/wait-for';
import {
  employeeIds,
  registerReceiver,
  startLuccaApiWorld,
  startRecordingReceiver,
  TENANT,
  type LuccaApiWorld,
  type RecordingReceiver,
} from './lucca-api-test-kit';

/**
 * The simulated Lucca API delivering employee events to our receiver over real sockets, with each
 * delivery fault: what reaches the change feed is every changed employee id, once per event.
 */
describe('Lucca webhooks: simulator → receiver', () => {
  let world: LuccaApiWorld;
  let rec: RecordingReceiver;

  beforeAll(async () => {
    world = await startLuccaApiWorld();
    rec = await startRecordingReceiver();
    await registerReceiver(world, rec);
  });
  afterAll(async () => {
    await rec.receiver.stop();
    await world.stop();
  });
  beforeEach(async () => {
    await world.api.deliveriesSettled(TENANT);
    rec.changes.length = 0;
    rec.logs.length = 0;
    rec.failNext.count = 0;
  });

  const received = () => rec.changes.flatMap((c) => c.employeeIds);
  const rename = (id: number, jobTitle: string) => world.store.updateUser(id, { jobTitle });

  it('hands over the id of a changed employee, from a signed delivery, as a webhook change', async () => {
    const [id] = employeeIds(world);
    rename(id!, 'Responsable paie');
    await waitFor('the change', () => rec.changes.length === 1);
    expect(rec.changes[0]).toMatchObject({ employeeIds: [id], source: 'webhook' });
    expect(rec.changes[0]!.eventIds).toHaveLength(1);
    // Ids only, never the event's data (names, e-mail): stale by nature and personal.
    const user = world.store.getUser(id!)!;
    expect(JSON.stringify(rec.changes)).not.toContain(user.lastName);
    expect(JSON.stringify(rec.logs)).not.toContain(user.lastName);
  });

  it('hands over a duplicated delivery once', async () => {
    const [, id] = employeeIds(world);
    const before = world.api.deliveryStats(TENANT).attempts;
    world.api.scriptDeliveryFaults(TENANT, [{ kind: 'duplicate' }]);
    rename(id!, 'Chargé de recrutement');
    await world.api.deliveriesSettled(TENANT);
    expect(world.api.deliveryStats(TENANT).attempts - before).toBe(2);
    expect(received()).toEqual([id]);
    expect(rec.logs.some((l) => l.msg.includes('duplicate'))).toBe(true);
  });

  it('hands over reordered deliveries, each once, whatever the order', async () => {
    const [, , first, second] = employeeIds(world);
    world.api.scriptDeliveryFaults(TENANT, [{ kind: 'reorder' }, { kind: 'none' }]);
    rename(first!, 'Comptable');
    rename(second!, 'Juriste');
    await world.api.deliveriesSettled(TENANT);
    await waitFor('both changes', () => rec.changes.length === 2);
    // The second change arrived first: the receiver does not depend on order.
    expect(received()).toEqual([second, first]);
  });

  it('hands over a late delivery with the time the change happened, not the time it arrived', async () => {
    const [, , , , id] = employeeIds(world);
    const late = world.api.deliveryStats(TENANT).late;
    world.api.scriptDeliveryFaults(TENANT, [{ kind: 'late', ms: 400 }]);
    rename(id!, 'Acheteur');
    await waitFor('the late change', () => rec.changes.length === 1);
    const event = world.api.tenant(TENANT).events.all().at(-1)!;
    expect(world.api.deliveryStats(TENANT).late).toBe(late + 1);
    expect(rec.changes[0]).toMatchObject({ employeeIds: [id], eventIds: [luccaEventKey(event)], observedAt: event.occurredAt });
  });

  it('is delivered again after a failed hand-over (503), and handed over once it succeeds', async () => {
    const [, , , , , id] = employeeIds(world);
    rec.failNext.count = 2;
    rename(id!, 'Gestionnaire de paie');
    await world.api.deliveriesSettled(TENANT);
    expect(received()).toEqual([id]);
    expect(world.api.deliveryStats(TENANT).answers['503']).toBeGreaterThanOrEqual(2);
  });

  it('loses a delivery, and the events-feed sweep finds it', async () => {
    const client = world.client();
    const { cursor } = await sweepLuccaEventsWith(client, null);
    const [, , , , , , lost, delivered] = employeeIds(world);
    world.api.scriptDeliveryFaults(TENANT, [{ kind: 'lose' }]);
    rename(lost!, 'Contrôleur de gestion');
    rename(delivered!, 'Assistante RH');
    await world.api.deliveriesSettled(TENANT);
    expect(received()).toEqual([delivered]);
    const sweep = await sweepLuccaEventsWith(client, cursor);
    expect(sweep.employeeIds).toEqual([lost, delivered].sort((a, b) => a! - b!));
    expect(sweep.eventIds).toHaveLength(2);
    expect(sweep.employeeEvents).toEqual(sweep.eventIds.map((id, i) => [id, [lost, delivered][i]]));
    // The next sweep starts after them.
    const again = await sweepLuccaEventsWith(client, sweep.cursor);
    expect(again).toMatchObject({ employeeIds: [], eventIds: [] });
  });
});

describe('Lucca webhooks: deliveries stop (endpoint suspended), the events feed does not', () => {
  let world: LuccaApiWorld;

  beforeAll(async () => {
    world = await startLuccaApiWorld();
  });
  afterAll(() => world.stop());

  it('suspends an endpoint that answers 410, sends it nothing more, and the sweep still sees every change', async () => {
    // A receiver that passes the handshake, then answers "gone" (e.g. an old URL after a move).
    const gone = createServer((req, res) => {
      const echo = new URL(req.url ?? '/', 'http://x').searchParams.get('echo');
      if (req.method === 'GET' && echo) return void res.writeHead(200, { 'content-type': 'text/plain' }).end(echo);
      res.writeHead(410).end();
    });
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    try {
      const client = world.client();
      const endpoint = await client.createWebhookEndpoint({
        name: 'moved',
        webhookUrl: `http://127.0.0.1:${(gone.address() as AddressInfo).port}/hook`,
        topics: EMPLOYEE_TOPICS,
      });
      const { cursor } = await sweepLuccaEventsWith(client, null);
      const [a, b] = employeeIds(world);
      world.store.updateUser(a!, { jobTitle: 'Technicienne' });
      await world.api.deliveriesSettled(TENANT);
      expect((await client.listWebhookEndpoints()).find((e) => e.id === endpoint.id)?.status).toBe('suspended');
      const attempts = world.api.deliveryStats(TENANT).attempts;
      world.store.updateUser(b!, { jobTitle: 'Technicien' });
      await world.api.deliveriesSettled(TENANT);
      expect(world.api.deliveryStats(TENANT).attempts).toBe(attempts);
      expect((await sweepLuccaEventsWith(client, cursor)).employeeIds).toEqual([a, b]);
    } finally {
      gone.close();
    }
  });
});

describe('Lucca webhooks: the receiver refuses what Lucca did not sign', () => {
  let rec: RecordingReceiver;
  const secret = 'endpoint-secret-known-to-lucca-and-us';
  const body = JSON.stringify({
    id: '9000001',
    type: 'event',
    topic: 'employee.updated',
    occurredAt: new Date().toISOString(),
    data: { id: '7', type: 'employee' },
  });

  beforeAll(async () => {
    rec = await startRecordingReceiver();
    rec.secrets.set(TENANT, secret);
  });
  afterAll(() => rec.receiver.stop());
  beforeEach(() => {
    rec.changes.length = 0;
  });

  const post = async (tenantId: string, headers: Record<string, string>, payload = body) => {
    const res = await request(rec.receiver.urlFor(tenantId), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: payload,
    });
    await res.body.dump();
    return res.statusCode;
  };
  const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

  it('accepts a delivery signed with the endpoint secret', async () => {
    const ts = now();
    expect(await post(TENANT, { 'lucca-timestamp': ts, 'lucca-signature': signLuccaDelivery(secret, ts, body) })).toBe(200);
    expect(rec.changes.flatMap((c) => c.employeeIds)).toEqual([7]);
  });

  it.each([
    [
      'signed with another secret',
      () => {
        const ts = now();
        return { 'lucca-timestamp': ts, 'lucca-signature': signLuccaDelivery('attacker-guess', ts, body) };
      },
    ],
    ['without a signature', () => ({ 'lucca-timestamp': now() })],
    [
      'with a body changed after signing',
      () => {
        const ts = now();
        return { 'lucca-timestamp': ts, 'lucca-signature': signLuccaDelivery(secret, ts, body.replace('"7"', '"8"')) };
      },
    ],
    [
      'replayed 10 minutes later',
      () => {
        const ts = new Date(Date.now() - 600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        return { 'lucca-timestamp': ts, 'lucca-signature': signLuccaDelivery(secret, ts, body) };
      },
    ],
    [
      'with a timestamp other than the signed one',
      () => {
        const ts = now();
        return { 'lucca-timestamp': new Date(Date.now() - 1000).toISOString(), 'lucca-signature': signLuccaDelivery(secret, ts, body) };
      },
    ],
  ])('refuses a delivery %s (401), and hands nothing over', async (_what, headers) => {
    expect(await post(TENANT, headers())).toBe(401);
    expect(rec.changes).toEqual([]);
  });

  it('answers an unknown tenant exactly like a bad signature', async () => {
    const ts = now();
    expect(await post('no-such-tenant', { 'lucca-timestamp': ts, 'lucca-signature': signLuccaDelivery(secret, ts, body) })).toBe(401);
    expect(rec.changes).toEqual([]);
  });

  it('answers the echo challenge with the value, as text, for short token-like values only', async () => {
    const res = await request(`${rec.receiver.urlFor(TENANT)}?echo=c0ffee-42`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(await res.body.text()).toBe('c0ffee-42');
    const script = await request(`${rec.receiver.urlFor(TENANT)}?echo=${encodeURIComponent('<script>alert(1)</script>')}`);
    await script.body.dump();
    expect(script.statusCode).toBe(400);
  });
});
