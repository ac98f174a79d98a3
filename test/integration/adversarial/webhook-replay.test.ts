import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import type { WebhookEvent } from '../../../src/connectors/aequivalent-screening/aequivalent/schemas';
import { signWebhook } from '../../../src/connectors/aequivalent-screening/aequivalent/webhook-signature';
import { createArtifactStore } from '../../../src/storage/create-artifact-store';
import { startWebhookReceiver, type RunningWebhookReceiver } from '../../../src/webhooks/aequivalent-webhook-receiver';
import { PostgresDeliveryLedger } from '../../../src/webhooks/postgres-delivery-ledger';
import { startPostgresServer, type PostgresServer } from '../../support/postgres-server';

/**
 * Attacks on the Aequivalent webhook receiver by someone who captured a signed delivery (a proxy
 * log, a leaked request dump) but does not hold the webhook secret: real receivers over sockets,
 * the replicas' shared ledger in a real PostgreSQL store.
 */
const TENANT = 'acme';
const SECRET = `whsec-${randomUUID()}`;
const now = () => Math.floor(Date.now() / 1000);

function signedDelivery(timestampSeconds = now()): { body: string; signature: string } {
  const event: WebhookEvent = {
    id: `evt_${randomUUID()}`,
    type: 'dossier.status_changed',
    dossierId: 'dos_1',
    externalReference: `screening-order/${TENANT}/416/9`,
    status: 'in_progress',
    result: null,
    occurredAt: new Date().toISOString(),
  };
  const body = JSON.stringify(event);
  return { body, signature: signWebhook(SECRET, body, timestampSeconds) };
}

async function post(
  receiver: RunningWebhookReceiver,
  delivery: { body: string; signature: string },
): Promise<{ status: number; body: unknown }> {
  const res = await request(receiver.urlFor(TENANT), {
    method: 'POST',
    body: delivery.body,
    headers: { 'content-type': 'application/json', 'aequivalent-signature': delivery.signature },
  });
  return { status: res.statusCode, body: await res.body.json() };
}

describe('adversarial: Aequivalent webhook deliveries', () => {
  const handedOver: string[] = [];
  const receivers: RunningWebhookReceiver[] = [];
  const start = async (options: Partial<Parameters<typeof startWebhookReceiver>[0]> = {}) => {
    const receiver = await startWebhookReceiver({
      secretsByTenant: new Map([[TENANT, SECRET]]),
      onEvent: async (_t, event) => void handedOver.push(event.id),
      ...options,
    });
    receivers.push(receiver);
    return receiver;
  };
  beforeEach(() => void (handedOver.length = 0));
  afterAll(async () => Promise.all(receivers.map((r) => r.stop())));

  it('a captured delivery replayed within the tolerance window is acknowledged but not handed over again', async () => {
    const receiver = await start();
    const delivery = signedDelivery();
    expect(await post(receiver, delivery)).toMatchObject({ status: 200, body: { received: true } });
    const replay = await post(receiver, delivery);
    expect(replay).toEqual({ status: 200, body: { received: true, id: expect.any(String), duplicate: true } });
    expect(handedOver).toHaveLength(1);
  });

  it('a delivery dated in the future beyond a small skew is refused (it would stretch the replay window)', async () => {
    const receiver = await start();
    // Inside the 5-minute tolerance, but 2 minutes ahead of our clock.
    expect((await post(receiver, signedDelivery(now() + 120))).status).toBe(401);
    expect(handedOver).toEqual([]);
    // A few seconds of clock skew still pass.
    expect((await post(receiver, signedDelivery(now() + 5))).status).toBe(200);
  });

  describe('with receiver replicas sharing the PostgreSQL store', () => {
    let pg: PostgresServer;
    beforeAll(async () => {
      pg = await startPostgresServer();
      await pg.createDatabase('ledger');
      const store = createArtifactStore(
        { storage: { kind: 'postgres', url: 'env:LUCCA_CONNECTORS_STORE_URL', retentionDays: 30 } },
        { resolveSecret: () => pg.url('ledger') },
      );
      await store.migrate(); // what `lucca-connectors setup` does: creates webhook_deliveries
      await store.close();
    }, 300_000);
    afterAll(async () => pg?.stop());

    it('a delivery replayed to another replica is not handed over again', async () => {
      const first = await start({ deliveries: new PostgresDeliveryLedger(pg.url('ledger')) });
      const second = await start({ deliveries: new PostgresDeliveryLedger(pg.url('ledger')) });
      const delivery = signedDelivery();
      expect((await post(first, delivery)).status).toBe(200);
      expect(await post(second, delivery)).toMatchObject({ status: 200, body: { duplicate: true } });
      // Both replicas at once: one hand-over.
      const racing = signedDelivery();
      await Promise.all([post(first, racing), post(second, racing)]);
      expect(handedOver).toHaveLength(2);
    });
  });
});
