import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Client } from '@temporalio/client';
import { request } from 'undici';
import { startCodecServer, type RunningCodecServer } from '../../../src/codec/codec-server';
import { AequivalentSandbox } from '../../../dev/simulators/aequivalent';
import { SCREENING_INTAKE, SCREENING_OUTCOMES, type ScreeningIntakeResult } from '../../../src/connectors/aequivalent-screening/contract';
import { RUN_STATE } from '../../../src/shared/search-attributes';
import { startWebhookReceiver, type RunningWebhookReceiver } from '../../../src/webhooks/aequivalent-webhook-receiver';
import { createWebhookSignaller } from '../../../src/webhooks/aequivalent-webhook-signaller';
import { personalValues as personalValuesOf } from '../../support/personal-values';
import { startElevoSyncWorld, type ElevoSyncWorld } from '../../support/elevo-sync-world';
import { ELEVO_USER_SYNC } from '../../../src/connectors/elevo-user-sync/contract';
import { leaksIn, visibleFields, type VisibleField } from '../../support/visible-fields-scan';

/** The background-check results the issue found in clear: they must appear nowhere readable. */
const SENSITIVE_RESULTS = ['compliant', 'attention_points', 'non_compliant', 'consent_refused'];

const T = 'privacy';
const LUCCA_KEY = randomUUID();
const ELEVO_TOKEN = `elevo-${randomUUID()}`;
const AEQ_KEY = `aeq-${randomUUID()}`;
const WEBHOOK_SECRET = `whsec-${randomUUID()}`;
const CODEC_TOKEN = `codec-${randomUUID()}`;

/**
 * Runs a full Elevo sync and a full screening-order lifecycle on the real server, then searches
 * every byte of every history for the employees' personal data and for every secret.
 */
describe('no personal data or secret in Temporal history (payload codec on)', () => {
  let world: ElevoSyncWorld;
  let aequivalent: AequivalentSandbox;
  let receiver: RunningWebhookReceiver;
  let codecServer: RunningCodecServer;
  const histories: Buffer[] = [];
  let orders = 0;
  const startedAt = Date.now();

  beforeAll(async () => {
    aequivalent = await AequivalentSandbox.start({
      lifecycle: { mode: 'auto', stepMs: 150 },
      webhookRetry: { attempts: 5, initialDelayMs: 100, maxDelayMs: 500 },
    });
    let signal: ReturnType<typeof createWebhookSignaller> | undefined;
    receiver = await startWebhookReceiver({ secretsByTenant: new Map([[T, WEBHOOK_SECRET]]), onEvent: (t, e) => signal!(t, e) });
    aequivalent.addTenant(T, { apiKey: AEQ_KEY, webhookSecret: WEBHOOK_SECRET, webhookUrl: receiver.urlFor(T) });
    world = await startElevoSyncWorld([
      {
        id: T,
        luccaApiKey: LUCCA_KEY,
        elevoToken: ELEVO_TOKEN,
        employees: 40,
        seed: 31337,
        moreSections: (secretRef) => ({
          aequivalent: {
            baseUrl: aequivalent.baseUrlFor(T),
            apiKey: secretRef('aeq.key', AEQ_KEY),
            webhookSecret: secretRef('aeq-webhook.secret', WEBHOOK_SECRET),
            pollIntervalMinutes: 0.05,
          },
        }),
      },
    ]);
    const harness = world.harness;
    signal = createWebhookSignaller({ client: harness.env.client });
    codecServer = await startCodecServer({
      codec: harness.codec,
      auth: { tokens: [{ name: 'leak-scan', token: CODEC_TOKEN }] },
      allowedOrigins: ['http://127.0.0.1:8233'],
      port: 0,
    });

    const client = harness.env.client;
    await client.workflow.execute(ELEVO_USER_SYNC, {
      taskQueue: harness.taskQueue,
      workflowId: `elevo-user-sync/${T}/2026-11-20`,
      args: [{ tenantId: T, runDate: '2026-11-20' }],
    });
    const intake = (await client.workflow.execute(SCREENING_INTAKE, {
      taskQueue: harness.taskQueue,
      workflowId: `screening-intake/${T}/2026-11-20`,
      args: [{ tenantId: T }],
    })) as ScreeningIntakeResult;
    for (const id of intake.started) await client.workflow.getHandle(id).result();
    orders = intake.started.length;
    for await (const wf of client.workflow.list()) {
      const history = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
      histories.push(Buffer.from(temporal.api.history.v1.History.encode(history).finish()));
    }
  });
  afterAll(async () => {
    await codecServer?.stop();
    await world?.stop();
    await receiver?.stop();
    await aequivalent?.stop();
  });

  const personalValues = () => personalValuesOf(world.store);
  const secrets = () => [LUCCA_KEY, ELEVO_TOKEN, AEQ_KEY, WEBHOOK_SECRET, CODEC_TOKEN, world.harness.tenants.secret('file:payload.key')];
  const hits = (values: string[], blobs: Buffer[]) => values.filter((v) => blobs.some((b) => b.includes(Buffer.from(v, 'utf8'))));

  it('ran both connectors for real (orders placed, users created)', () => {
    expect(histories.length).toBeGreaterThanOrEqual(4); // sync + intake + at least 2 orders
    expect(world.elevo.users(T).length).toBeGreaterThan(20);
    expect(aequivalent.dossiers(T).length).toBeGreaterThanOrEqual(1);
    expect(personalValues().length).toBeGreaterThan(150);
  });

  it('finds none of the employees’ names, emails, phones or birth dates in any history', () => {
    expect(hits(personalValues(), histories)).toEqual([]);
  });

  it('search attributes and memos hold ids and stages only: no outcome, no personal data', async () => {
    let fields: VisibleField[] = [];
    // Visibility is eventually consistent: wait until every finished run is listed with its last stage.
    for (let i = 0; i < 50; i++) {
      fields = await visibleFields(world.harness.env.client);
      const states = fields.filter((f) => f.key === RUN_STATE.name);
      if (states.length >= orders + 2 && states.every((f) => f.text === '"completed"')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const orderStates = fields.filter((f) => f.key === RUN_STATE.name && f.workflowId.startsWith('screening-order/'));
    expect(orderStates.length).toBeGreaterThanOrEqual(2);
    expect(new Set(orderStates.map((f) => JSON.parse(f.text)))).toEqual(new Set(['completed']));
    expect(leaksIn(fields, [...SCREENING_OUTCOMES, ...personalValues()])).toEqual([]);
  });

  it('no background-check result anywhere in the raw histories (upsert events included)', () => {
    expect(hits(SENSITIVE_RESULTS, histories)).toEqual([]);
  });

  it('would have found them: the outcomes are in the sealed results, and the scan flags one put back in a search attribute or a readable memo', async () => {
    const outcomes: string[] = [];
    for (const blob of histories) {
      for (const event of temporal.api.history.v1.History.decode(blob).events ?? []) {
        const result = event.workflowExecutionCompletedEventAttributes?.result?.payloads ?? [];
        for (const p of await world.harness.codec.decode(result)) outcomes.push(Buffer.from(p.data ?? []).toString());
      }
    }
    expect(outcomes.some((o) => SENSITIVE_RESULTS.some((r) => o.includes(`"outcome":"${r}"`)))).toBe(true);

    // A run that puts an outcome back, as the order workflow once did, and a memo written without the codec.
    const plainClient = new Client({ connection: world.harness.env.connection, namespace: world.harness.env.client.options.namespace });
    const workflowId = `outcome-leak-probe-${randomUUID()}`;
    const probe = await plainClient.workflow.start('outcomeLeakProbe', {
      taskQueue: `nobody-polls-${randomUUID()}`,
      workflowId,
      typedSearchAttributes: [{ key: RUN_STATE, value: 'non_compliant' }],
      memo: { result: 'attention_points' },
    });
    try {
      let leaks: ReturnType<typeof leaksIn> = [];
      for (let i = 0; i < 50 && leaks.length < 2; i++) {
        leaks = leaksIn(await visibleFields(world.harness.env.client, `WorkflowId = '${workflowId}'`), SCREENING_OUTCOMES);
        if (leaks.length < 2) await new Promise((r) => setTimeout(r, 200));
      }
      expect(leaks.map((l) => `${l.kind}:${l.found}`).sort()).toEqual(
        expect.arrayContaining(['memo:attention_points', 'search attribute:non_compliant']),
      );
    } finally {
      await probe.terminate('probe done');
    }
  });

  it('finds no API key, token, webhook secret or encryption key in any history', () => {
    expect(hits(secrets(), histories)).toEqual([]);
  });

  it('would have found them: the decoded histories do contain personal data (the scan can fail)', async () => {
    const decoded: Buffer[] = [];
    for (const blob of histories) {
      const history = temporal.api.history.v1.History.decode(blob);
      for (const event of history.events ?? []) {
        const attrs =
          event.activityTaskCompletedEventAttributes?.result?.payloads ?? event.activityTaskScheduledEventAttributes?.input?.payloads ?? [];
        for (const p of await world.harness.codec.decode(attrs)) decoded.push(Buffer.from(p.data ?? []));
      }
    }
    expect(hits(personalValues(), decoded).length).toBeGreaterThan(0);
  });

  it('keeps run artifacts (plans, reports) encrypted at rest, yet readable with the key', async () => {
    const files = (readdirSync(world.harness.artifacts.location, { recursive: true }) as string[]).filter((f) => f.endsWith('.json.gz'));
    expect(files.length).toBeGreaterThan(3);
    const blobs = files.map((f) => readFileSync(join(world.harness.artifacts.location, f)));
    expect(hits(personalValues(), blobs)).toEqual([]);
    const reportKey = files.find((f) => f.endsWith('/report.json.gz'))!.replace(/\.json\.gz$/, '');
    const report = await world.harness.artifacts.requireJson<{ lines: Array<{ name: string | null }> }>(reportKey);
    expect(report.lines.some((l) => l.name && personalValues().includes(l.name))).toBe(true);
  });

  it('handed the attachments over and left no temporary copy behind', () => {
    const documents = aequivalent.dossiers(T).flatMap((d) => d.documents);
    expect(documents.length).toBeGreaterThanOrEqual(1);
    // This process's transfer directories only: other processes on the machine may be mid-transfer.
    const leftovers = readdirSync(tmpdir()).filter(
      (name) => name.startsWith(`lc-screening-${process.pid}-`) && statSync(join(tmpdir(), name)).mtimeMs >= startedAt,
    );
    expect(leftovers).toEqual([]);
  });

  it('the codec server decodes with a bearer token and refuses without it', async () => {
    const payload = histories
      .flatMap((h) => temporal.api.history.v1.History.decode(h).events ?? [])
      .flatMap((e) => e.activityTaskCompletedEventAttributes?.result?.payloads ?? [])[0]!;
    const body = JSON.stringify({
      payloads: [
        {
          metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
          data: Buffer.from(payload.data ?? []).toString('base64'),
        },
      ],
    });
    const post = (path: string, headers: Record<string, string> = {}) =>
      request(`${codecServer.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

    const refused = await post('/decode');
    expect(refused.statusCode).toBe(401);
    expect(await refused.body.text()).not.toContain('json/plain');
    const wrongToken = await post('/decode', { authorization: 'Bearer nope' });
    expect(wrongToken.statusCode).toBe(401);
    await wrongToken.body.dump();
    const otherOrigin = await post('/decode', { authorization: `Bearer ${CODEC_TOKEN}`, origin: 'https://evil.example' });
    expect(otherOrigin.statusCode).toBe(403);
    await otherOrigin.body.dump();

    const ok = await post('/decode', { authorization: `Bearer ${CODEC_TOKEN}`, origin: 'http://127.0.0.1:8233' });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('http://127.0.0.1:8233');
    const decoded = (await ok.body.json()) as { payloads: Array<{ metadata: Record<string, string> }> };
    expect(Buffer.from(decoded.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');

    // A token in the URL (the old UI form) is never accepted: URLs end up in logs and browser history.
    const viaPath = await post(`/${CODEC_TOKEN}/decode`);
    expect(viaPath.statusCode).toBe(404);
    await viaPath.body.dump();
    const preflight = await request(`${codecServer.url}/decode`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:8233' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toContain('x-namespace');
  });
});
