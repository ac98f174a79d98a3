import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { connectorHealthQuery } from '../../../src/shared/connector-health';
import { LUCCA_CHANGE_FEED, luccaChangeFeedWorkflowId } from '../../../src/shared/lucca-change-feed-contract';
import { SCREENING_INTAKE } from '../../../src/connectors/aequivalent-screening/contract';
import {
  CODE,
  CREATED,
  startScreeningWorld,
  statusLabel,
  TO_ORDER,
  usersInState,
  type ScreeningWorld,
} from '../aequivalent-screening/screening-test-kit';
import { waitFor } from '../../support/wait-for';

const TENANT = 'shop';

/** "Dossier à commander" set in Lucca → the screening feed sees the change → an intake → the dossier. */
describe('screening through the change feed', () => {
  let world: ScreeningWorld;

  beforeAll(async () => {
    world = await startScreeningWorld([{ id: TENANT, moreSections: () => ({ freshness: { pollSeconds: 1, idleRequestsPerHour: 3600 } }) }]);
  }, 120_000);
  afterAll(async () => world?.stop());

  it('an order status set to "Dossier à commander" is ordered without waiting for the daily intake', async () => {
    const client = world.harness.env.client;
    await client.workflow.start(LUCCA_CHANGE_FEED, {
      workflowId: luccaChangeFeedWorkflowId(TENANT, 'aequivalent-screening'),
      taskQueue: world.harness.taskQueue,
      args: [{ tenantId: TENANT, connector: 'aequivalent-screening' }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
    const employee = usersInState(world, TENANT, 'complete-to-order')[0]!;
    expect(statusLabel(world, TENANT, employee)).toBe(TO_ORDER);
    // HR (re)selects "Dossier à commander" in Lucca, once the feed has its starting cursor.
    const feed = client.workflow.getHandle(luccaChangeFeedWorkflowId(TENANT, 'aequivalent-screening'));
    await waitFor('the feed polls', async () => (await feed.query(connectorHealthQuery)).polls >= 1, 60_000);
    const res = await fetch(`${world.lucca.url}/_sandbox/${TENANT}/users/${employee}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ extendedData: { [CODE]: TO_ORDER } }),
    });
    expect(res.status).toBe(200);
    await waitFor('the dossier is created and written back', () => statusLabel(world, TENANT, employee) === CREATED, 90_000);
    const intakes: string[] = [];
    for await (const wf of client.workflow.list({ query: `WorkflowType = '${SCREENING_INTAKE}'` })) intakes.push(wf.workflowId);
    expect(intakes.some((id) => id.startsWith(`aequivalent-screening/${TENANT}/changes/`))).toBe(true);
  }, 150_000);
});
