import { setTimeout as sleep } from 'node:timers/promises';
import { activityInfo } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { heartbeatProgress, LivenessHeartbeatInterceptor } from '../../../src/activities/activity-heartbeats';
import { startTemporalTestEnv } from '../../support/temporal-test-env';
import type { LivenessActivities } from './fixtures/liveness-workflows';

/**
 * Short heartbeat timeouts detect a dead worker in seconds; the worker's liveness beats keep a live
 * activity that is busy (a slow request, a wait for a Lucca permit) from being taken for dead, and
 * they repeat the last checkpoint instead of erasing it.
 */
describe('liveness heartbeats (real dev server)', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `liveness-${process.pid}`;

  const activities: LivenessActivities = {
    async quietStep({ quietMs, failFirstAttempt }) {
      const { attempt, heartbeatDetails } = activityInfo();
      if (attempt === 1) heartbeatProgress({ checkpoint: 'after-first-page' });
      await sleep(quietMs); // no heartbeat of its own, 3.5 heartbeat timeouts long
      if (failFirstAttempt && attempt === 1) throw ApplicationFailure.retryable('transient, retry me', 'Transient');
      return { attempt, resumedFrom: heartbeatDetails ?? null };
    },
  };

  beforeAll(async () => {
    env = await startTemporalTestEnv();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('./fixtures/liveness-workflows'),
      activities,
      interceptors: { activity: [() => ({ inbound: new LivenessHeartbeatInterceptor() })] },
      maxHeartbeatThrottleInterval: '500 milliseconds',
    });
    running = worker.run();
  }, 180_000);

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  const run = (input: { quietMs: number; failFirstAttempt: boolean }) =>
    env.client.workflow.execute('quietStepWorkflow', {
      taskQueue,
      workflowId: `liveness-${Math.random().toString(36).slice(2)}`,
      args: [input],
    });

  it('a live activity that does not beat for several heartbeat timeouts completes in its first attempt', async () => {
    await expect(run({ quietMs: 7_000, failFirstAttempt: false })).resolves.toEqual({ attempt: 1, resumedFrom: null });
  });

  it('the beats repeat the last checkpoint: a retried attempt resumes from it', async () => {
    await expect(run({ quietMs: 7_000, failFirstAttempt: true })).resolves.toEqual({
      attempt: 2,
      resumedFrom: { checkpoint: 'after-first-page' },
    });
  });
});
