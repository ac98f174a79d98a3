import { renderRunReport } from '../../../src/client/run-reports';
import { SCREENING_INTAKE, type ScreeningIntakeResult } from '../../../src/connectors/aequivalent-screening/contract';
import { waitFor } from '../../support/wait-for';
import {
  orderInputFor,
  orderState,
  startScreeningWorld,
  usersInState,
  waitUntilFollowing,
  type ScreeningWorld,
} from './screening-test-kit';

const T = 'leaver';

/**
 * Lucca's own current/former split wins at the intake (a former employee still marked "to order"
 * is reported, never ordered), and the intake and order reports read as HR needs them.
 */
describe('screening intake and order reports on a real Temporal server', () => {
  let world: ScreeningWorld;
  beforeAll(async () => {
    world = await startScreeningWorld([{ id: T }]);
  });
  afterAll(async () => {
    await world?.stop();
  });
  const client = () => world.harness.env.client;
  const deps = () => ({ client: client(), artifacts: world.harness.artifacts, location: 'test store' });

  it('a former employee with a pending order is skipped with a reason; the reports say what was done and why', async () => {
    const [ordered] = usersInState(world, T, 'complete-to-order');
    const [left] = usersInState(world, T, 'incomplete-to-order');
    // Contract ended (and before it started: Lucca lists them as former either way).
    world.lucca.tenant(T).updateUser(left!, { dtContractStart: '2024-03-01T00:00:00', dtContractEnd: '2023-12-31T00:00:00' });
    const intakeId = `screening-intake/${T}/reports`;
    const intake = (await client().workflow.execute(SCREENING_INTAKE, {
      taskQueue: world.harness.taskQueue,
      workflowId: intakeId,
      args: [{ tenantId: T }],
    })) as ScreeningIntakeResult;
    const order = orderInputFor(world, T, ordered!);
    expect(intake.started).toEqual([order.workflowId]);
    expect(intake.skipped).toEqual([{ luccaId: left, reason: 'employee-left' }]);
    expect(world.aequivalent.stats(T).dossiersCreated).toBeLessThanOrEqual(1);

    const intakeText = await renderRunReport(deps(), intakeId, 'text');
    expect(intakeText).toContain('1 ordered, 0 re-run, 0 already in progress, 0 refused, 1 skipped');
    expect(intakeText).toContain(`Lucca employee ${left} [employee-left]`);
    expect(intakeText).toContain('Fix: This person is a former employee in Lucca');

    await waitUntilFollowing(world, order.workflowId);
    const dossier = world.aequivalent.dossiers(T).find((d) => d.externalReference === order.workflowId)!;
    // One step at a time: webhooks are delivered concurrently (and retried), so a final status could
    // otherwise arrive first and end the order before the earlier ones reach its timeline.
    for (const status of ['candidate_invited', 'consent_given', 'in_progress'] as const) {
      world.aequivalent.advance(T, dossier.id, status);
      await waitFor(`${status} in the order's timeline`, async () =>
        (await orderState(world, order.workflowId)).history.some((h) => h.status === status),
      );
    }
    world.aequivalent.advance(T, dossier.id, 'report_available', 'attention_points');
    await client().workflow.getHandle(order.workflowId).result();

    const user = world.lucca.tenant(T).getUser(ordered!)!;
    const orderText = await renderRunReport(deps(), order.workflowId, 'text');
    expect(orderText).toContain(`${user.firstName} ${user.lastName} (Lucca ${ordered})`); // decrypted from the order's history
    expect(orderText).toMatch(new RegExp(`Package\\s+${dossier.package.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`));
    expect(orderText).toMatch(new RegExp(`Dossier\\s+${dossier.id}\n`));
    expect(orderText).toContain('report available — attention points');
    expect(orderText).toMatch(/candidate invited[\s\S]*consent given[\s\S]*checks in progress[\s\S]*report available/);
    expect(orderText).toContain('[attention_points]');
    const html = await renderRunReport(deps(), order.workflowId, 'html');
    expect(html).toContain('<h1>Aequivalent screening order');
  });
});
