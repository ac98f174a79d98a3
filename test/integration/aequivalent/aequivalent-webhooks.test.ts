import { request } from 'undici';
import type { WebhookEvent } from '../../../src/connectors/aequivalent-screening/aequivalent/schemas';
import { signWebhook } from '../../../src/connectors/aequivalent-screening/aequivalent/webhook-signature';
import type { AequivalentSandbox } from '../../../dev/simulators/aequivalent/aequivalent-sandbox';
import {
  startWebhookReceiver,
  type RunningWebhookReceiver,
  type WebhookReceiverLogLine,
} from '../../../src/webhooks/aequivalent-webhook-receiver';
import { acmeSecrets, clientFor, dossierRequest, startAcmeSandbox } from './aequivalent-test-kit';
import { waitFor } from '../../support/wait-for';

describe('Aequivalent webhooks: sandbox → receiver', () => {
  let sandbox: AequivalentSandbox;
  let receiver: RunningWebhookReceiver;
  const received: Array<{ tenantId: string; event: WebhookEvent }> = [];
  const logs: WebhookReceiverLogLine[] = [];
  /** How many upcoming hand-overs fail (to test Aequivalent's retries). */
  let failNext = 0;

  beforeAll(async () => {
    receiver = await startWebhookReceiver({
      secretsByTenant: new Map([['acme', acmeSecrets().webhookSecret]]),
      onEvent: async (tenantId, event) => {
        received.push({ tenantId, event });
        if (failNext > 0) {
          failNext -= 1;
          throw new Error('workflow not reachable');
        }
      },
      log: (line) => logs.push(line),
    });
    sandbox = await startAcmeSandbox({ webhookRetry: { attempts: 4, initialDelayMs: 20 } }, receiver.urlFor('acme'));
  });
  afterAll(async () => {
    await sandbox.stop();
    await receiver.stop();
  });
  beforeEach(() => {
    received.length = 0;
    failNext = 0;
  });

  it('delivers signed status changes that reach onEvent', async () => {
    const { dossier } = await clientFor(sandbox).createDossier(dossierRequest('acme:wh:1'), 'w1');
    sandbox.advance('acme', dossier.id, 'candidate_invited');
    sandbox.advance('acme', dossier.id, 'consent_given');
    sandbox.advance('acme', dossier.id, 'in_progress');
    sandbox.advance('acme', dossier.id, 'report_available', 'compliant');
    await waitFor('4 webhook events', () => received.length >= 4);
    // Deliveries are independent, so order them by time before comparing.
    const events = received.map((r) => r.event).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    expect(new Set(events.map((e) => e.status))).toEqual(
      new Set(['candidate_invited', 'consent_given', 'in_progress', 'report_available']),
    );
    expect(received.every((r) => r.tenantId === 'acme')).toBe(true);
    expect(events.find((e) => e.status === 'report_available')).toMatchObject({
      type: 'dossier.status_changed',
      dossierId: dossier.id,
      externalReference: 'acme:wh:1',
      result: 'compliant',
    });
    expect(new Set(events.map((e) => e.id)).size).toBe(4);
    await waitFor('acknowledgements', () => sandbox.stats('acme').webhooksDelivered >= 4);
    // Logs carry ids and statuses, never candidate data.
    expect(JSON.stringify(logs)).not.toMatch(/Camille|Moreau|camille/);
  });

  it('is retried by the sandbox until the receiver acknowledges it', async () => {
    failNext = 2;
    const { dossier } = await clientFor(sandbox).createDossier(dossierRequest('acme:wh:2'), 'w2');
    sandbox.advance('acme', dossier.id, 'candidate_invited');
    const delivery = await waitFor('the delivery to succeed', () =>
      sandbox.webhookDeliveries('acme').find((d) => d.dossierId === dossier.id && d.state === 'delivered'),
    );
    expect(delivery.attempts).toBe(3);
    expect(delivery.responses).toEqual([503, 503, 200]);
    expect(received.map((r) => r.event.id)).toEqual([delivery.eventId, delivery.eventId, delivery.eventId]);
  });

  it('stops retrying after the configured attempts', async () => {
    failNext = 100;
    const { dossier } = await clientFor(sandbox).createDossier(dossierRequest('acme:wh:3'), 'w3');
    sandbox.advance('acme', dossier.id, 'cancelled');
    const delivery = await waitFor('the delivery to give up', () =>
      sandbox.webhookDeliveries('acme').find((d) => d.dossierId === dossier.id && d.state === 'failed'),
    );
    expect(delivery.attempts).toBe(4);
  });

  describe('receiver checks', () => {
    const secret = () => acmeSecrets().webhookSecret;
    const event: WebhookEvent = {
      id: 'evt_test',
      type: 'dossier.status_changed',
      dossierId: 'dos_1',
      externalReference: 'acme:order:1',
      status: 'in_progress',
      result: null,
      occurredAt: new Date().toISOString(),
    };
    const post = (body: string, signature: string | undefined, tenant = 'acme') =>
      request(receiver.urlFor(tenant), {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...(signature ? { 'aequivalent-signature': signature } : {}) },
      });
    const now = () => Math.floor(Date.now() / 1000);

    it('accepts a correctly signed event', async () => {
      const body = JSON.stringify(event);
      const res = await post(body, signWebhook(secret(), body, now()));
      expect(res.statusCode).toBe(200);
      await res.body.dump();
      expect(received.map((r) => r.event)).toEqual([event]);
    });

    it.each([
      ['a bad signature', (body: string) => signWebhook('wrong-secret', body, now())],
      ['a missing signature', () => undefined],
      ['a stale signature', (body: string) => signWebhook(secret(), body, now() - 3600)],
      ['a signature over other bytes', (body: string) => signWebhook(secret(), `${body} `, now())],
    ])('rejects %s with 401 and never calls onEvent', async (_name, sign) => {
      const body = JSON.stringify(event);
      const res = await post(body, sign(body));
      expect(res.statusCode).toBe(401);
      await res.body.dump();
      expect(received).toHaveLength(0);
    });

    it('rejects a signed body of the wrong shape with 400', async () => {
      const body = JSON.stringify({ ...event, status: 'archived' });
      const res = await post(body, signWebhook(secret(), body, now()));
      expect(res.statusCode).toBe(400);
      await res.body.dump();
      expect(received).toHaveLength(0);
    });

    it('answers an unknown tenant exactly like a bad signature (no tenant enumeration)', async () => {
      const body = JSON.stringify(event);
      const answer = async (tenant: string, signature: string | undefined) => {
        const res = await post(body, signature, tenant);
        return { status: res.statusCode, body: await res.body.text() };
      };
      const unknownTenant = await answer('globex', signWebhook(secret(), body, now()));
      const badSignature = await answer('acme', signWebhook('wrong-secret', body, now()));
      expect(unknownTenant.status).toBe(401);
      expect(unknownTenant).toEqual(badSignature);
      // Same for the other failures: a missing or stale signature reads the same for both.
      expect(await answer('globex', undefined)).toEqual(await answer('acme', undefined));
      expect(await answer('globex', signWebhook(secret(), body, now() - 3600))).toEqual(
        await answer('acme', signWebhook(secret(), body, now() - 3600)),
      );
      expect(received).toHaveLength(0);
    });

    it('answers 5xx when the hand-over fails, so that Aequivalent retries', async () => {
      failNext = 1;
      // Another event: the one accepted above is remembered, and a replay of it is not handed over again.
      const body = JSON.stringify({ ...event, id: 'evt_handover_fails' });
      const res = await post(body, signWebhook(secret(), body, now()));
      expect(res.statusCode).toBeGreaterThanOrEqual(500);
      await res.body.dump();
    });
  });
});
