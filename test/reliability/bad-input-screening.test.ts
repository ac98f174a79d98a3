import { GENERATED_CODES, screeningStateOf } from '../../dev/simulators/lucca';
import { SCREENING_ORDER, screeningOrderWorkflowId, type ScreeningOrderResult } from '../../src/connectors/aequivalent-screening/contract';
import { loadFixtures, type ScreeningFixture } from './support/bad-input-fixtures';
import { startReliabilityWorld, type ReliabilityWorld } from './support/reliability-world';
import { startInProcessRuntime, type ScenarioRuntime } from './support/scenario-runtime';
import { driveDossiersToReport } from './support/screening-state';

/**
 * Bad data behind a screening order (test/fixtures/bad-input/screening-*.json): an order with
 * unusable data places nothing and says why; a file that cannot be handed over is reported while
 * the order goes on. Never a crash, never a second dossier.
 */
describe('bad input: screening orders', () => {
  const fixtures = loadFixtures('screening');
  const MAX_UPLOAD = 1024 * 1024;
  let world: ReliabilityWorld;
  let runtime: ScenarioRuntime;
  const tenantOf = (f: ScreeningFixture) => `s-${f.id}`;

  beforeAll(async () => {
    world = await startReliabilityWorld(
      fixtures.map((f, i) => ({ id: tenantOf(f), seed: 60 + i, employees: 20, screening: { pollIntervalMinutes: 0.05 } })),
      { aequivalentMaxUploadBytes: MAX_UPLOAD },
    );
    runtime = await startInProcessRuntime(world);
  });
  afterAll(async () => {
    await runtime?.stop();
    await world?.stop();
  });

  it.each(fixtures.map((f) => [f.id, f] as const))('%s', async (_id, f) => {
    const tenantId = tenantOf(f);
    const store = world.store(tenantId);
    const luccaId = [...store.users.keys()].find((id) => screeningStateOf(store, id) === 'complete-to-order')!;
    const { set, extended, clearExtended, largeFileBytes } = f.change;
    if (set) {
      const user = store.getUser(luccaId)! as unknown as Record<string, unknown>;
      Object.assign(user, set);
      store.touchUser(luccaId);
    }
    if (extended) store.writeEntry(luccaId, extended.code, { id: store.newValueId(), value: extended.value });
    if (clearExtended) store.clearExtendedValue(luccaId, clearExtended);
    if (largeFileBytes) {
      expect(largeFileBytes).toBeGreaterThan(MAX_UPLOAD);
      const guid = store.addFile(Buffer.alloc(largeFileBytes, 7), 'cv-large.pdf', 'application/pdf');
      store.setExtendedValue(luccaId, GENERATED_CODES.cvFile, guid);
    }
    const status = store.getExtendedValue(luccaId, GENERATED_CODES.orderStatus) as { id: number };
    const workflowId = screeningOrderWorkflowId(tenantId, luccaId, String(status.id));
    const aequivalent = world.aequivalent.get(tenantId)!;
    await runtime.client().workflow.start(SCREENING_ORDER, {
      taskQueue: runtime.taskQueue,
      workflowId,
      args: [{ tenantId, luccaId, orderKey: String(status.id) }],
    });
    if (f.expect.dossiers > 0) await driveDossiersToReport(runtime.client(), aequivalent, tenantId, [workflowId]);
    const result = (await runtime.client().workflow.getHandle(workflowId).result()) as ScreeningOrderResult;

    expect(result.outcome).toBe(f.expect.outcome);
    expect((result.problems ?? []).map((p) => p.code).sort()).toEqual([...f.expect.problems].sort());
    expect(aequivalent.dossiers(tenantId).filter((d) => d.externalReference === workflowId)).toHaveLength(f.expect.dossiers);
    expect(aequivalent.stats(tenantId).dossiersCreated).toBe(f.expect.dossiers);
    // Messages are for an HR admin: they never quote the employee's data.
    const person = store.getUser(luccaId)!;
    for (const p of result.problems ?? []) {
      expect(p.message.length).toBeGreaterThan(10);
      if (typeof person.lastName === 'string' && person.lastName) expect(p.message).not.toContain(person.lastName);
    }
  });
});
