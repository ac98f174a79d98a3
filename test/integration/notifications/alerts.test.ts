import { ElevoSandbox } from '../../../dev/simulators/elevo';
import { rejectElevoSyncUpdate } from '../../../src/connectors/elevo-user-sync/contract';
import type { ScreeningOrderResult } from '../../../src/connectors/aequivalent-screening/contract';
import { startLocalSmtpServer, startWebhookSink, type ReceivedMail, type ReceivedWebhook } from '../../support/alert-sinks';
import { waitFor } from '../../support/wait-for';
import {
  orderInputFor,
  orderState,
  startOrder,
  startScreeningWorld,
  usersInState,
  waitUntilFollowing,
  type ScreeningWorld,
} from '../aequivalent-screening/screening-test-kit';
import { signedFor } from '../../support/test-operator';

const T = 'alerting';
const OPS = 'ops@connectors.example';
const HR = 'rh@acme.example';
const WEBHOOK_SECRET = 'alert-webhook-secret-for-tests';

/**
 * Alerts end to end: workflows on a real Temporal server raise them, the `notify` activity sends
 * them to a real local SMTP server (nodemailer) and a local webhook receiver that checks the HMAC.
 */
describe('alerts: signed webhook and e-mail', () => {
  let world: ScreeningWorld;
  let elevo: ElevoSandbox;
  let smtp: Awaited<ReturnType<typeof startLocalSmtpServer>>;
  let sink: Awaited<ReturnType<typeof startWebhookSink>>;

  beforeAll(async () => {
    smtp = await startLocalSmtpServer();
    sink = await startWebhookSink(WEBHOOK_SECRET);
    elevo = await ElevoSandbox.start({ tenants: [{ tenantId: T, token: 'alerting-elevo-token' }] });
    world = await startScreeningWorld([
      {
        id: T,
        moreSections: (secretRef) => ({
          elevo: {
            baseUrl: elevo.baseUrlFor(T),
            token: secretRef('alerting-elevo.token', 'alerting-elevo-token'),
            safety: { maxSuspendCount: 1, maxSuspendPercent: 100, maxPopulationDropPercent: 100 },
          },
          notifications: {
            webhook: { url: sink.url, secret: secretRef('alert-webhook.secret', WEBHOOK_SECRET) },
            email: {
              smtp: { host: '127.0.0.1', port: smtp.port, requireTls: false },
              from: 'Lucca connectors <alerts@connectors.example>',
              operators: [OPS],
              hr: [HR],
            },
          },
        }),
      },
    ]);
  });
  afterAll(async () => {
    await world?.stop();
    await elevo?.stop();
    await sink?.stop();
    await smtp?.stop();
  });

  const client = () => world.harness.env.client;
  const webhookOf = (kind: string, runId: string) =>
    waitFor(`${kind} webhook`, () => sink.received.find((w) => w.body.kind === kind && w.body.runId === runId));
  const mailAbout = (runId: string, subject: RegExp) =>
    waitFor(`mail ${subject}`, () => smtp.mails.find((m) => m.text.includes(runId) && subject.test(m.subject)));
  /** Nothing personal about this employee in what was sent. */
  const expectNoPersonalData = (luccaId: number, ...sent: Array<ReceivedMail | ReceivedWebhook>) => {
    const user = world.lucca.tenant(T).users.get(luccaId)!;
    const personal = [user.firstName, user.lastName, user.mail, user.birthDate?.slice(0, 10), user.personalMobile].filter(
      (v): v is string => typeof v === 'string' && v.length > 2,
    );
    for (const s of sent) for (const value of personal) expect(JSON.stringify(s)).not.toContain(value);
  };

  it('an invalid order tells HR what to fix in Lucca (e-mail) and the webhook, signed', async () => {
    const luccaId = usersInState(world, T, 'incomplete-to-order')[0]!;
    world.lucca.tenant(T).updateUser(luccaId, { mail: null, directLine: null, professionalMobile: null, personalMobile: null });
    const order = orderInputFor(world, T, luccaId);
    await startOrder(world, order);
    const result = (await client().workflow.getHandle(order.workflowId).result()) as ScreeningOrderResult;
    expect(result.outcome).toBe('invalid');

    const hook = await webhookOf('order-invalid', order.workflowId);
    expect(hook.signatureValid).toBe(true);
    expect(hook.body).toMatchObject({
      tenantId: T,
      luccaId,
      problems: expect.arrayContaining([expect.objectContaining({ code: 'missing_contact' })]),
    });
    const mail = await mailAbout(order.workflowId, /incomplete/);
    expect(mail.to).toEqual([HR]);
    expect(mail.text).toContain('Fix: Enter a professional e-mail or a phone number');
    expect(mail.messageId).toMatch(/@lucca-connectors>$/);
    expectNoPersonalData(luccaId, hook, mail);
  });

  it('a blocked write-back alerts operators; the result alert tells HR without the result', async () => {
    const luccaId = usersInState(world, T, 'complete-to-order')[0]!;
    const key = world.luccaKeys.get(T)!;
    world.lucca.tenant(T).setApiKeyPermissions(key, { writableSections: ['e_cost_center'] }); // 403 on the status
    const order = orderInputFor(world, T, luccaId);
    await startOrder(world, order);

    const blocked = await webhookOf('write-back-blocked', order.workflowId);
    expect(blocked.signatureValid).toBe(true);
    expect(blocked.body).toMatchObject({ failure: 'LuccaPermissionError', attempts: 1 });
    const blockedMail = await mailAbout(order.workflowId, /refuses the screening status write-back/);
    expect(blockedMail.to).toEqual([OPS]);

    world.lucca.tenant(T).setApiKeyPermissions(key, { writableSections: 'all' });
    await waitUntilFollowing(world, order.workflowId);
    const dossier = world.aequivalent.dossiers(T).find((d) => d.externalReference === order.workflowId)!;
    for (const status of ['candidate_invited', 'consent_given', 'in_progress'] as const) world.aequivalent.advance(T, dossier.id, status);
    world.aequivalent.advance(T, dossier.id, 'report_available', 'non_compliant');
    expect(((await client().workflow.getHandle(order.workflowId).result()) as ScreeningOrderResult).outcome).toBe('non_compliant');

    const available = await webhookOf('order-result-available', order.workflowId);
    expect(available.signatureValid).toBe(true);
    expect(available.body).toMatchObject({ luccaId, dossierId: dossier.id });
    const availableMail = await mailAbout(order.workflowId, /Screening report available/);
    expect(availableMail.to).toEqual([HR]);
    for (const sent of [available.raw, availableMail.text, availableMail.subject])
      expect(sent).not.toMatch(/non.compliant|attention|compliant/i);
    expectNoPersonalData(luccaId, blocked, blockedMail, available, availableMail);
    expect((await orderState(world, order.workflowId)).writeBackFailures).toBe(1);
  });

  it('a held Elevo run alerts operators with the approve / reject commands', async () => {
    for (const n of [1, 2, 3])
      elevo.seedUser(T, {
        email: `gone${n}@acme.example`,
        externalId: String(90000 + n),
        lockedAttributes: ['firstName', 'lastName', 'email'],
      });
    const runId = `elevo-user-sync/${T}/2026-11-20/held`;
    const handle = await client().workflow.start('elevoUserSync', {
      workflowId: runId,
      taskQueue: world.harness.taskQueue,
      args: [{ tenantId: T, runDate: '2026-11-20' }],
    });
    const hook = await webhookOf('run-held', runId);
    expect(hook.signatureValid).toBe(true);
    expect(hook.body).toMatchObject({
      connector: 'elevo-user-sync',
      reasons: [expect.objectContaining({ code: 'suspend-count-over-threshold' })],
    });
    const mail = await mailAbout(runId, /held for approval/);
    expect(mail.to).toEqual([OPS]);
    expect(mail.text).toContain(`npx lucca-connectors approve ${runId} --comment`);
    expect(mail.text).toContain(`npx lucca-connectors reject ${runId}\n`);
    await handle.executeUpdate(rejectElevoSyncUpdate, {
      args: [await signedFor(handle, 'reject', { by: 'alerts-test', client: 'alerts-test-client' })],
    });
    expect((await handle.result()).status).toBe('rejected');
  });

  it('a failed run alerts operators with its failure type (one interceptor for every connector)', async () => {
    world.lucca.setFaults(T, { script: [{ kind: 'error', status: 401 }] });
    const runId = `elevo-user-sync/${T}/2026-11-21/failing`;
    const handle = await client().workflow.start('elevoUserSync', {
      workflowId: runId,
      taskQueue: world.harness.taskQueue,
      args: [{ tenantId: T, runDate: '2026-11-21' }],
    });
    await expect(handle.result()).rejects.toThrow();
    const hook = await webhookOf('run-failed', runId);
    expect(hook.signatureValid).toBe(true);
    expect(hook.body).toMatchObject({ connector: 'elevo-user-sync', failure: 'LuccaAuthenticationError' });
    const mail = await mailAbout(runId, /run failed \(LuccaAuthenticationError\)/);
    expect(mail.to).toEqual([OPS]);
  });

  it('every webhook delivery was signed and every e-mail went to its audience only', () => {
    expect(sink.received.length).toBeGreaterThanOrEqual(5);
    expect(sink.received.every((w) => w.signatureValid)).toBe(true);
    for (const m of smtp.mails) expect(m.to.length).toBe(1);
  });
});
