import { ScheduleOverlapPolicy } from '@temporalio/client';
import { applySchedules, backfillWindow, listSchedules, scheduleIdOf } from '../../../src/client/schedules';
import { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { startElevoSyncWorld, type ElevoSyncWorld } from '../../support/elevo-sync-world';
import { ELEVO_USER_SYNC } from '../../../src/connectors/elevo-user-sync/contract';

const KEY = '9b2f7c1e-5d4a-4e3b-8a7c-6d5e4f3a2b1c';

describe('schedules on a real Temporal server', () => {
  let world: ElevoSyncWorld;

  beforeAll(async () => {
    const schedule = { at: { hour: 6, minute: 30 }, jitterMinutes: 0 };
    world = await startElevoSyncWorld([
      { id: 'north', luccaApiKey: KEY, elevoToken: 'tok-n', employees: 30, seed: 50, elevo: { schedule } },
      { id: 'south', luccaApiKey: KEY, elevoToken: 'tok-s', employees: 30, seed: 51, elevo: { schedule } },
    ]);
  });
  afterAll(async () => world?.stop());

  it('applies one schedule per tenant and connector, updates in place, deletes removed tenants', async () => {
    const config = world.harness.tenants.loaded.config;
    const first = await applySchedules(world.harness.env.client, config, world.harness.taskQueue);
    expect(first).toEqual([
      { scheduleId: 'elevo-user-sync/north', action: 'created' },
      { scheduleId: 'elevo-user-sync/south', action: 'created' },
    ]);
    const description = await world.harness.env.client.schedule.getHandle('elevo-user-sync/north').describe();
    expect(description.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 6, end: 6, step: 1 }],
      minute: [{ start: 30, end: 30, step: 1 }],
    });
    expect(description.spec.timezone).toBe('Europe/Paris');
    expect(description.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(description.policies.catchupWindow).toBe(24 * 3600 * 1000);

    const again = await applySchedules(world.harness.env.client, config, world.harness.taskQueue);
    expect(again.map((s) => s.action)).toEqual(['updated', 'updated']);

    const withoutSouth = { ...config, tenants: config.tenants.filter((t) => t.id !== 'south') };
    const pruned = await applySchedules(world.harness.env.client, withoutSouth, world.harness.taskQueue);
    expect(pruned).toContainEqual({ scheduleId: 'elevo-user-sync/south', action: 'deleted' });
    expect((await listSchedules(world.harness.env.client)).map((s) => s.scheduleId)).toEqual(['elevo-user-sync/north']);
  });

  it('a backfill of the Elevo sync over 3 past days makes 3 runs, one per day in the tenant time zone, each refused with its reason', async () => {
    const { start, end } = backfillWindow('2026-11-01', '2026-11-03', 'Europe/Paris');
    expect(start.toISOString()).toBe('2026-10-31T23:00:00.000Z'); // midnight in Paris (UTC+1 in November)
    world.elevo.resetStats('north');
    await world.harness.env.client.schedule
      .getHandle(scheduleIdOf('elevo-user-sync', 'north'))
      .backfill({ start, end, overlap: ScheduleOverlapPolicy.BUFFER_ALL });

    const messages: string[] = [];
    for (let i = 0; i < 600 && messages.length < 3; i++) {
      messages.length = 0;
      for await (const wf of world.harness.env.client.workflow.list({
        query: `WorkflowType = '${ELEVO_USER_SYNC}' AND ExecutionStatus = 'Failed'`,
      })) {
        if (!wf.workflowId.startsWith('elevo-user-sync/north-')) continue;
        const failure = await world.harness.env.client.workflow
          .getHandle(wf.workflowId)
          .result()
          .then(
            () => undefined,
            (e: WorkflowFailedError) => e.cause as ApplicationFailure,
          );
        if (failure?.type === 'ElevoSyncBackfillRefused') messages.push(failure.message);
      }
      if (messages.length < 3) await new Promise((r) => setTimeout(r, 200));
    }
    // Lucca only answers with today's data: a past day cannot be replayed, so nothing is read or written.
    expect(messages.map((m) => /for (\d{4}-\d{2}-\d{2})/.exec(m)?.[1]).sort()).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(messages[0]).toContain('past days cannot be replayed; nothing was read or written');
    expect(world.elevo.writeCount('north')).toBe(0);
  });
});
