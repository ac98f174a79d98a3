import { ScheduleOverlapPolicy } from '@temporalio/client';
import { applySchedules, backfillWindow, listSchedules, scheduleIdOf } from '../../../src/client/schedules';
import { ElevoSandbox } from '../../../src/sandbox/elevo';
import { generateLuccaTenant, LuccaSandbox } from '../../../src/sandbox/lucca';
import type { ElevoSyncResult } from '../../../src/shared/elevo-user-sync-contract';
import { startConnectorHarness, type ConnectorHarness } from '../../support/connector-harness';
import { ELEVO_USER_SYNC } from '../../../src/shared/elevo-user-sync-contract';

const KEY = '9b2f7c1e-5d4a-4e3b-8a7c-6d5e4f3a2b1c';

describe('schedules on a real Temporal server', () => {
  let lucca: LuccaSandbox;
  let elevo: ElevoSandbox;
  let harness: ConnectorHarness;

  beforeAll(async () => {
    lucca = await LuccaSandbox.start({ requestsPerMinute: 0 });
    elevo = await ElevoSandbox.start({ tenants: [{ tenantId: 'north', token: 'tok-n' }, { tenantId: 'south', token: 'tok-s' }] });
    for (const [i, t] of ['north', 'south'].entries()) lucca.addTenant(t, generateLuccaTenant({ tenantId: t, apiKey: KEY, employees: 30, seed: 50 + i }));
    harness = await startConnectorHarness({
      tenants: (secretRef) =>
        ['north', 'south'].map((t) => ({
          id: t,
          luccaBaseUrl: lucca.baseUrlFor(t),
          luccaApiKey: KEY,
          sectionsYaml: ['    elevo:', `      baseUrl: ${elevo.baseUrlFor(t)}`, `      token: ${secretRef(`${t}-elevo.token`, `tok-${t[0]}`)}`, '      schedule: { at: { hour: 6, minute: 30 }, jitterMinutes: 0 }'].join('\n'),
        })),
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await lucca?.stop();
    await elevo?.stop();
  });

  it('applies one schedule per tenant and connector, updates in place, deletes removed tenants', async () => {
    const config = harness.tenants.loaded.config;
    const first = await applySchedules(harness.env.client, config, harness.taskQueue);
    expect(first).toEqual([
      { scheduleId: 'elevo-user-sync/north', action: 'created' },
      { scheduleId: 'elevo-user-sync/south', action: 'created' },
    ]);
    const description = await harness.env.client.schedule.getHandle('elevo-user-sync/north').describe();
    expect(description.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 6, end: 6, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
    expect(description.spec.timezone).toBe('Europe/Paris');
    expect(description.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(description.policies.catchupWindow).toBe(24 * 3600 * 1000);

    const again = await applySchedules(harness.env.client, config, harness.taskQueue);
    expect(again.map((s) => s.action)).toEqual(['updated', 'updated']);

    const withoutSouth = { ...config, tenants: config.tenants.filter((t) => t.id !== 'south') };
    const pruned = await applySchedules(harness.env.client, withoutSouth, harness.taskQueue);
    expect(pruned).toContainEqual({ scheduleId: 'elevo-user-sync/south', action: 'deleted' });
    expect((await listSchedules(harness.env.client)).map((s) => s.scheduleId)).toEqual(['elevo-user-sync/north']);
  });

  it('a backfill over 3 days makes 3 runs, one per day, in the tenant time zone', async () => {
    const { start, end } = backfillWindow('2026-11-01', '2026-11-03', 'Europe/Paris');
    expect(start.toISOString()).toBe('2026-10-31T23:00:00.000Z'); // midnight in Paris (UTC+1 in November)
    await harness.env.client.schedule.getHandle(scheduleIdOf('elevo-user-sync', 'north')).backfill({ start, end, overlap: ScheduleOverlapPolicy.BUFFER_ALL });

    const results: ElevoSyncResult[] = [];
    for (let i = 0; i < 600 && results.length < 3; i++) {
      results.length = 0;
      for await (const wf of harness.env.client.workflow.list({ query: `WorkflowType = '${ELEVO_USER_SYNC}' AND ExecutionStatus = 'Completed'` })) {
        if (wf.workflowId.startsWith('elevo-user-sync/north-')) results.push((await harness.env.client.workflow.getHandle(wf.workflowId).result()) as ElevoSyncResult);
      }
      if (results.length < 3) await new Promise((r) => setTimeout(r, 200));
    }
    expect(results.map((r) => r.runDate).sort()).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(results.every((r) => r.tenantId === 'north' && r.status === 'completed')).toBe(true);
  });
});
