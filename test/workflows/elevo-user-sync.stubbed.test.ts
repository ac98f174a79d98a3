import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import {
  approveElevoSyncUpdate,
  elevoSyncProgressQuery,
  ELEVO_USER_SYNC,
  rejectElevoSyncUpdate,
  type ActionCounts,
  type ElevoSyncResult,
  type ElevoUserSyncInput,
  type FinalizedRun,
  type PreparedPlan,
} from '../../src/connectors/elevo-user-sync/contract';
import { waitFor } from '../support/wait-for';
import { startStubbedWorkflowEnv, type StubbedWorkflowEnv } from '../support/stubbed-workflow-env';
import { signedFor, TEST_OPERATOR } from '../support/test-operator';

/**
 * The Elevo sync workflow's own logic with stubbed activities (fast; the real-server tests with the
 * simulators stay in test/integration/elevo-user-sync): hold → approve / reject / time-out, dry run,
 * continue-as-new in the apply phase, and a failure decided by the activity.
 */
interface Scenario {
  batchCount: number;
  suspend: number;
  prepareFails?: ApplicationFailure;
  applyDelayMs?: number;
  applied: number[];
  finalized: Array<{ status: FinalizedRun['status']; approved?: boolean }>;
}

const counts = (suspend: number): ActionCounts => ({
  create: 0,
  update: 1,
  adopt: 0,
  suspend,
  reactivate: 0,
  release: 0,
  skip: 0,
  noop: 0,
  unmanaged: 0,
});

let t: StubbedWorkflowEnv<Scenario>;
let tenantCounter = 0;

beforeAll(async () => {
  t = await startStubbedWorkflowEnv<Scenario>(
    (scenario) => ({
      async prepareElevoSyncPlan(input): Promise<PreparedPlan> {
        const s = scenario();
        if (s.prepareFails) throw s.prepareFails;
        return {
          runKey: input.runKey,
          runDate: '2026-11-20',
          counts: counts(s.suspend),
          sourceCount: 100,
          targetCount: 100,
          managedActiveCount: 100,
          previousSourceCount: 100,
          writeCount: s.batchCount,
          batchCount: s.batchCount,
          luccaRequests: 1,
          elevoRequests: 1,
          safety: { maxSuspendCount: 25, maxSuspendPercent: 10, maxPopulationDropPercent: 20 },
        };
      },
      async applyElevoSyncBatch(input) {
        const s = scenario();
        if (s.applyDelayMs) await new Promise((r) => setTimeout(r, s.applyDelayMs));
        s.applied.push(input.batchIndex);
        return { applied: 1, failed: 0, elevoRequests: 1 };
      },
      // The approval re-check (the fresh plan suspends no one new) and the tenant lock's holder lookup.
      async countUnapprovedSuspensions() {
        return { unapproved: 0 };
      },
      async elevoSyncLockHolder() {
        return {};
      },
      async finalizeElevoSyncRun(input): Promise<FinalizedRun> {
        const s = scenario();
        s.finalized.push({ status: input.status, approved: input.decision?.approved });
        return {
          tenantId: input.tenantId,
          runKey: input.runKey,
          runDate: '2026-11-20',
          status: input.status,
          planned: counts(s.suspend),
          applied: s.applied.length,
          failed: 0,
          holdReasons: input.holdReasons,
          decision: input.decision,
          reportKey: `${input.runKey}/report`,
          luccaRequests: 1,
        };
      },
    }),
    // The server suggests continue-as-new after this many history events (4,096 by default).
    { dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 40 } },
  );
});
afterAll(() => t?.stop());

function start(name: string, scenario: Partial<Scenario>, input: Partial<ElevoUserSyncInput> = {}) {
  const workflowId = t.scenario(name, { batchCount: 2, suspend: 0, applied: [], finalized: [], ...scenario });
  // One tenant per run: at most one sync of a tenant runs at a time (the tenant lock), and these runs overlap.
  const handle = t.env.client.workflow.start(ELEVO_USER_SYNC, {
    workflowId,
    taskQueue: t.taskQueue,
    args: [{ tenantId: `acme-${++tenantCounter}`, ...input }],
  });
  return { workflowId, scenario: t.scenarioOf(workflowId), handle };
}

async function waitForStatus(handle: Awaited<ReturnType<typeof start>['handle']>, status: string) {
  for (;;) {
    const progress = await handle.query(elevoSyncProgressQuery).catch(() => undefined);
    if (progress?.status === status) return progress;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('elevoUserSync workflow (stubbed activities)', () => {
  it('applies every batch in order and reports a completed run when nothing needs approval', async () => {
    const run = start('no hold', { batchCount: 3 });
    const result = (await (await run.handle).result()) as ElevoSyncResult;
    expect(run.scenario.applied).toEqual([0, 1, 2]);
    expect(run.scenario.finalized).toEqual([{ status: 'completed', approved: undefined }]);
    expect(result).toMatchObject({ status: 'completed', applied: 3, elevoRequests: 1 + 3 });
  });

  it('holds a run that would suspend too many users, then applies it once approved', async () => {
    const run = start('hold approve', { suspend: 40 });
    const handle = await run.handle;
    const held = await waitForStatus(handle, 'held');
    expect(held.holdReasons.map((r) => r.code)).toContain('suspend-count-over-threshold');
    expect(run.scenario.applied).toEqual([]);
    // The alert goes out right after the run holds (an activity): wait for it, then check it.
    const alerts = await waitFor('the held alert', () =>
      t.alertsOf(handle.workflowId).length > 0 ? t.alertsOf(handle.workflowId) : undefined,
    );
    expect(alerts).toEqual([
      expect.objectContaining({
        kind: 'run-held',
        connector: 'elevo-user-sync',
        runId: handle.workflowId,
        reasons: expect.arrayContaining([{ code: 'suspend-count-over-threshold', description: 'would suspend 40 users (threshold 25)' }]),
      }),
    ]);
    await handle.executeUpdate(approveElevoSyncUpdate, {
      args: [await signedFor(handle, 'approve', { by: 'jane', client: 'test-client', comment: 'restructuring' })],
    });
    const result = (await handle.result()) as ElevoSyncResult;
    expect(run.scenario.applied).toEqual([0, 1]);
    expect(result).toMatchObject({ status: 'completed', decision: { by: TEST_OPERATOR.name, comment: 'restructuring', approved: true } });
  });

  it('writes nothing when a held run is rejected', async () => {
    const run = start('hold reject', { suspend: 40 });
    const handle = await run.handle;
    await waitForStatus(handle, 'held');
    await handle.executeUpdate(rejectElevoSyncUpdate, { args: [await signedFor(handle, 'reject', { by: 'jane', client: 'test-client' })] });
    const result = (await handle.result()) as ElevoSyncResult;
    expect(run.scenario.applied).toEqual([]);
    expect(run.scenario.finalized).toEqual([{ status: 'rejected', approved: false }]);
    expect(result.status).toBe('rejected');
  });

  it('writes nothing when nobody decides before the approval timeout', async () => {
    const run = start('hold timeout', { suspend: 40 }, { approvalTimeout: '1 second' });
    const result = (await (await run.handle).result()) as ElevoSyncResult;
    expect(run.scenario.applied).toEqual([]);
    expect(result.status).toBe('approval-timed-out');
  });

  it('refuses approve and reject while the run is not held', async () => {
    const run = start('not held', { batchCount: 1, applyDelayMs: 1500 });
    const handle = await run.handle;
    await waitForStatus(handle, 'applying');
    for (const [update, command] of [
      [approveElevoSyncUpdate, 'approve'],
      [rejectElevoSyncUpdate, 'reject'],
    ] as const) {
      await expect(
        handle.executeUpdate(update, { args: [await signedFor(handle, command, { by: 'jane', client: 'test-client' })] }),
      ).rejects.toMatchObject({ cause: { message: 'the run is not waiting for approval (status: applying)' } });
    }
    expect(((await handle.result()) as ElevoSyncResult).decision).toBeUndefined();
  });

  it('plans and reports a dry run without applying or holding, even over the thresholds', async () => {
    const run = start('dry run', { suspend: 40 }, { dryRun: true });
    const result = (await (await run.handle).result()) as ElevoSyncResult;
    expect(run.scenario.applied).toEqual([]);
    expect(run.scenario.finalized).toEqual([{ status: 'dry-run', approved: undefined }]);
    expect(result.status).toBe('dry-run');
  });

  it('continues as new during a long apply phase, applying each batch exactly once and keeping the totals', async () => {
    const run = start('continue as new', { batchCount: 25 });
    const handle = await run.handle;
    const result = (await handle.result()) as ElevoSyncResult;
    expect(run.scenario.applied).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(result).toMatchObject({ status: 'completed', elevoRequests: 1 + 25 });
    const progress = await t.env.client.workflow.getHandle(run.workflowId).query(elevoSyncProgressQuery);
    expect(progress).toMatchObject({ batchesDone: 25, batchesTotal: 25, applied: 25, failed: 0 });
    const first = await t.env.client.workflow.getHandle(run.workflowId, handle.firstExecutionRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
  });

  it('fails at once on a failure the activity marked non-retryable (the workflow lists no error types)', async () => {
    const run = start('non-retryable', { prepareFails: ApplicationFailure.nonRetryable('bad key', 'LuccaAuthenticationError') });
    const error = await (await run.handle).result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause?.cause).toMatchObject({ type: 'LuccaAuthenticationError' });
    expect(run.scenario.finalized).toEqual([]);
  });
});
