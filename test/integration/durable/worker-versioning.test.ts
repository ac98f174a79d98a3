import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { createDataConverter } from '../../../src/codec/data-converter';
import {
  SCREENING_INTAKE,
  screeningIntakeWorkflowId,
  type ScreeningOrderResult,
} from '../../../src/connectors/aequivalent-screening/contract';
import { createConnectorsWorker } from '../../../src/worker';
import { placeFollowedOrder, type ScreeningWorld, startScreeningWorld } from '../aequivalent-screening/screening-test-kit';
import { setCurrentWorkerVersion } from '../../support/set-current-worker-version';
import { lastTaskBuild } from '../../support/last-task-build';
import { waitFor } from '../../support/wait-for';

const DEPLOYMENT = 'lucca-connectors-test';

/**
 * Worker Deployment Versioning on the dev server (server 1.29.1): a release (v1 → v2) while an order
 * and a pinned workflow are in flight. The order (AUTO_UPGRADE) moves to v2 at its next task; the
 * pinned one finishes on v1.
 */
describe('Worker Deployment Versioning across a release (real Temporal dev server)', () => {
  const T = 'release';
  let world: ScreeningWorld;
  jest.setTimeout(240_000);

  beforeAll(async () => {
    world = await startScreeningWorld([{ id: T }], { deployment: { name: DEPLOYMENT, buildId: 'v1' } });
  });
  afterAll(async () => {
    await world?.stop();
  });

  const client = () => world.harness.env.client;
  const versioning = async (workflowId: string) =>
    (await client().workflow.getHandle(workflowId).describe()).raw.workflowExecutionInfo?.versioningInfo;

  it('an order in flight auto-upgrades to the new build; a pinned workflow stays on the old one', async () => {
    await setCurrentVersion(client(), 'v1');
    const { order, dossierId } = await placeFollowedOrder(world, T);
    // A pinned workflow kept in flight: an intake whose Lucca reads fail (retried for minutes). The tenant
    // lock used to play this part; a lock started by hand now refuses at once (issue 22).
    world.lucca.setFaults(T, { errorRate: 1 });
    const pinned = await client().workflow.start(SCREENING_INTAKE, {
      taskQueue: world.harness.taskQueue,
      workflowId: screeningIntakeWorkflowId(T, 'pinned'),
      args: [{ tenantId: T }],
    });
    await waitFor('pinned on v1', async () =>
      (await versioning(pinned.workflowId))?.behavior === temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED
        ? true
        : undefined,
    );
    const before = await versioning(order.workflowId);
    expect(before?.behavior).toBe(temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE);
    expect(before?.deploymentVersion?.buildId).toBe('v1');

    // The release: v2 workers start, v2 becomes current; v1 workers keep running to drain pinned work.
    const v2 = await createConnectorsWorker({
      connection: world.harness.env.nativeConnection,
      namespace: 'default',
      taskQueue: world.harness.taskQueue,
      dataConverter: createDataConverter(world.harness.codec),
      dependencies: { tenants: world.harness.tenants, artifacts: world.harness.artifacts },
      deployment: { name: DEPLOYMENT, buildId: 'v2' },
    });
    const running = v2.run();
    try {
      await setCurrentVersion(client(), 'v2');
      world.aequivalent.advance(T, dossierId, 'candidate_invited'); // a webhook: the order's next task
      await waitFor(
        'order on v2',
        async () => ((await versioning(order.workflowId))?.deploymentVersion?.buildId === 'v2' ? true : undefined),
        60_000,
      );
      expect((await versioning(pinned.workflowId))?.deploymentVersion?.buildId).toBe('v1');

      // Its next workflow task (a signal it ignores) still goes to v1, then it is stopped.
      await pinned.signal('wake');
      await waitFor('pinned task after the release done by v1', () => lastTaskBuild(pinned), 60_000).then((b) => expect(b).toBe('v1'));
      await pinned.terminate('test over');
      world.lucca.setFaults(T, { reset: true });
      for (const step of ['consent_given', 'in_progress'] as const) world.aequivalent.advance(T, dossierId, step);
      world.aequivalent.advance(T, dossierId, 'report_available', 'compliant');
      expect(((await client().workflow.getHandle(order.workflowId).result()) as ScreeningOrderResult).outcome).toBe('compliant');
      // The history shows the move: tasks completed by v1, then by v2.
      const builds = ((await client().workflow.getHandle(order.workflowId).fetchHistory()).events ?? [])
        .map(
          (e) =>
            e.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId ??
            e.workflowTaskCompletedEventAttributes?.workerVersion?.buildId,
        )
        .filter((b): b is string => !!b);
      expect(builds[0]).toBe('v1');
      expect(builds[builds.length - 1]).toBe('v2');
    } finally {
      v2.shutdown();
      await running;
    }
  });
});

/** The release step, as this test's release names itself. */
function setCurrentVersion(client: Client, buildId: string): Promise<void> {
  return setCurrentWorkerVersion(client, { deploymentName: DEPLOYMENT, buildId, identity: 'release-test' }, 60_000);
}
