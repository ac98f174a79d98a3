import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { renderEmployeePlan } from '../../../src/client/sync-employee-command';
import { applySchedules } from '../../../src/client/schedules';
import { aequivalentConnectorSchema } from '../../../src/connectors/aequivalent-screening/config-section';
import type { RunReport } from '../../../src/connectors/elevo-user-sync/domain/run-report';
import { frequentIntakeScheduleId } from '../../../src/freshness/frequent-intake-schedule';
import { parisDay } from '../../../dev/simulators/lucca/lucca-dates';
import { connectorHealthQuery } from '../../../src/shared/connector-health';
import { ELEVO_USER_SYNC, type ElevoSyncResult } from '../../../src/connectors/elevo-user-sync/contract';
import { LUCCA_CHANGE_FEED, luccaChangeFeedWorkflowId } from '../../../src/shared/lucca-change-feed-contract';
import { startWebhookSink } from '../../support/alert-sinks';
import { startElevoSyncWorld, type ElevoSyncWorld } from '../../support/elevo-sync-world';
import { isExcludedFromElevo } from '../../support/excluded-from-elevo';
import { waitFor } from '../../support/wait-for';

const TENANT = 'acme';
const KEY = '3c9a1f4e-6b2d-4e8a-9f0c-1d2e3f4a5b6c';
const TODAY = parisDay(new Date());
const SECRET = 'health-alert-secret';

/** Health states and their alerts, the on-demand sync of one employee, the frequent intake's schedule. */
describe('freshness: health, on-demand sync, intake cadence', () => {
  let world: ElevoSyncWorld;
  let client: Client;
  let sink: Awaited<ReturnType<typeof startWebhookSink>>;

  beforeAll(async () => {
    sink = await startWebhookSink(SECRET);
    world = await startElevoSyncWorld([
      {
        id: TENANT,
        luccaApiKey: KEY,
        elevoToken: 'acme-elevo',
        employees: 30,
        seed: 31,
        today: TODAY,
        moreSections: (secretRef) => ({
          freshness: { pollSeconds: 1, idleRequestsPerHour: 3600 },
          notifications: { webhook: { url: sink.url, secret: secretRef('alert.secret', SECRET) } },
        }),
      },
    ]);
    client = world.harness.env.client;
    await client.workflow.execute(ELEVO_USER_SYNC, {
      workflowId: `elevo-user-sync/${TENANT}/${TODAY}/baseline`,
      taskQueue: world.harness.taskQueue,
      args: [{ tenantId: TENANT }],
    });
  }, 180_000);

  afterAll(async () => {
    await world?.stop();
    await sink?.stop();
  });

  const feed = () => client.workflow.getHandle(luccaChangeFeedWorkflowId(TENANT, 'elevo-user-sync'));
  const healthAlerts = () =>
    sink.received
      .filter((r) => r.body.kind === 'connector-health')
      .map((r) => r.body as { state: string; previous: string; reason: string });

  it('a revoked Lucca key makes the connector need action (alerted), and it recovers (alerted) once the key works again', async () => {
    await client.workflow.start(LUCCA_CHANGE_FEED, {
      workflowId: luccaChangeFeedWorkflowId(TENANT, 'elevo-user-sync'),
      taskQueue: world.harness.taskQueue,
      args: [{ tenantId: TENANT, connector: 'elevo-user-sync' }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
    await waitFor(
      'healthy',
      async () => (await feed().query(connectorHealthQuery)).state === 'healthy' && (await feed().query(connectorHealthQuery)).polls > 0,
      60_000,
    );
    const key = world.store.findApiKey(KEY)!;
    world.store.apiKeys.delete(KEY.toLowerCase());
    const broken = await waitFor(
      'needs action',
      async () => {
        const h = await feed().query(connectorHealthQuery);
        return h.state === 'needs-action' && h;
      },
      60_000,
    );
    expect(broken.reason).toMatch(/LuccaAuthentication|401|Unauthori[sz]ed/i);
    await waitFor('alert: needs-action', () => healthAlerts().some((a) => a.state === 'needs-action' && a.previous === 'healthy'), 30_000);
    world.store.apiKeys.set(KEY.toLowerCase(), key);
    await waitFor('healthy again', async () => (await feed().query(connectorHealthQuery)).state === 'healthy', 60_000);
    await waitFor('alert: recovered', () => healthAlerts().some((a) => a.state === 'healthy' && a.previous === 'needs-action'), 30_000);
    expect(sink.received.every((r) => r.signatureValid)).toBe(true);
    // Alerts carry states and reasons, never an employee's data.
    expect(JSON.stringify(healthAlerts())).not.toMatch(/@|firstName|lastName/);
  }, 180_000);

  it('sync-employee: one employee planned (dry run: field before → after, reason) then applied through the same sync', async () => {
    const employee = [...world.store.users.values()].find(
      (u) => world.store.statusOf(u) === 'current' && u.dtContractEnd === null && !isExcludedFromElevo(world.store, u.id),
    )!;
    world.store.updateUser(employee.id, { jobTitle: 'Responsable à la demande', modifiedAt: '2020-01-01T00:00:00.000' }); // invisible to polling
    const run = (dryRun: boolean) =>
      client.workflow.execute(ELEVO_USER_SYNC, {
        workflowId: `elevo-user-sync/${TENANT}/employee/${dryRun ? 'dry' : 'real'}`,
        taskQueue: world.harness.taskQueue,
        args: [{ tenantId: TENANT, employeeIds: [employee.id], dryRun }],
      }) as Promise<ElevoSyncResult>;
    const dry = await run(true);
    const dryReport = (await world.harness.artifacts.requireJson<RunReport>(dry.reportKey)).lines;
    const text = renderEmployeePlan(dry, dryReport, employee.id);
    expect(text).toContain(`employee ${employee.id}`);
    expect(text).toContain('update — attributes-changed');
    expect(text).toMatch(/jobTitle: .+ → Responsable à la demande/);
    expect(world.elevo.users(TENANT).find((u) => u.externalId === String(employee.id))?.jobTitle).not.toBe('Responsable à la demande');
    const real = await run(false);
    expect(real).toMatchObject({ status: 'completed', applied: 1, failed: 0 });
    expect(world.elevo.users(TENANT).find((u) => u.externalId === String(employee.id))?.jobTitle).toBe('Responsable à la demande');
  }, 120_000);

  it('the screening intake runs every N minutes in working hours (Mon–Fri, tenant time zone), besides the daily one', async () => {
    const loaded = world.harness.tenants.loaded.config;
    const aequivalent = aequivalentConnectorSchema.parse({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 'file:x',
      webhookSecret: 'file:y',
      intakeEveryMinutes: 10,
      workingHours: { from: 9, to: 18 },
    });
    const config = { ...loaded, tenants: loaded.tenants.map((t) => ({ ...t, aequivalent })) };
    const applied = await applySchedules(client, config, world.harness.taskQueue);
    expect(applied).toContainEqual({ scheduleId: frequentIntakeScheduleId(TENANT), action: 'created' });
    const { info, state } = await client.schedule.getHandle(frequentIntakeScheduleId(TENANT)).describe();
    expect(state.paused).toBe(false);
    const times = info.nextActionTimes;
    expect(times.length).toBeGreaterThanOrEqual(5);
    for (const t of times) {
      const paris = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Paris',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).formatToParts(t);
      const part = (type: string) => paris.find((p) => p.type === type)!.value;
      expect(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']).toContain(part('weekday'));
      expect(Number(part('hour'))).toBeGreaterThanOrEqual(9);
      expect(Number(part('hour'))).toBeLessThan(18);
      // Every 10 minutes, plus at most 20 s of jitter.
      expect((t.getTime() % 600_000) / 1000).toBeLessThanOrEqual(20);
    }
    // Removing the screening connector removes its frequent intake too.
    const pruned = await applySchedules(client, loaded, world.harness.taskQueue);
    expect(pruned).toContainEqual({ scheduleId: frequentIntakeScheduleId(TENANT), action: 'deleted' });
  }, 60_000);
});
