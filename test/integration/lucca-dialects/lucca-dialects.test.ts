import { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import type { CheckFinding, TenantCheckReport } from '../../../src/onboarding/check-finding';
import { checkTenant } from '../../../src/onboarding/tenant-check';
import { ElevoSandbox } from '../../../dev/simulators/elevo';
import { GENERATED_CODES, LUCCA_DIALECTS, type LuccaTenantStore } from '../../../dev/simulators/lucca';
import { ELEVO_USER_SYNC, elevoUserSyncWorkflowId, type ElevoSyncResult } from '../../../src/connectors/elevo-user-sync/contract';
import { SCREENING_INTAKE, type ScreeningIntakeResult } from '../../../src/connectors/aequivalent-screening/contract';
import { isExcludedFromElevo } from '../../support/excluded-from-elevo';
import {
  CREATED,
  orderInputFor,
  startScreeningWorld,
  statusLabel,
  usersInState,
  waitUntilFollowing,
  type ScreeningWorld,
} from '../aequivalent-screening/screening-test-kit';

const TODAY = '2026-11-20';
const SEED = 4711;
const DIALECTS = Object.entries(LUCCA_DIALECTS);
/** One tenant per dialect, same seed: the same employees answered in each dialect. */
const tenantOf = (dialect: string) => `d-${dialect}`;
/** A tenant where nobody is excluded from Elevo, in the dialect that leaves unset data out. */
const NOBODY_EXCLUDED = 'omitted-nobody-excluded';

/**
 * Both connectors and `tenants check` against every Lucca dialect (dev/simulators/lucca/lucca-dialect.ts):
 * each point Lucca's docs leave open answered each plausible way, with the same outcomes expected.
 * One Temporal dev server and one worker for the whole file; one Lucca domain per dialect.
 */
describe('both connectors and the tenant check agree on every Lucca dialect', () => {
  let world: ScreeningWorld;
  let elevo: ElevoSandbox;
  const elevoToken = (tenantId: string) => `elevo-token-${tenantId}`;
  const tenants = [
    ...DIALECTS.map(([name, dialect]) => ({ id: tenantOf(name), dialect })),
    { id: NOBODY_EXCLUDED, dialect: LUCCA_DIALECTS['unset-omitted']! },
  ];

  beforeAll(async () => {
    elevo = await ElevoSandbox.start({ tenants: tenants.map((t) => ({ tenantId: t.id, token: elevoToken(t.id) })) });
    world = await startScreeningWorld(
      tenants.map((t) => ({
        id: t.id,
        dialect: t.dialect,
        seed: SEED,
        moreSections: (secretRef) => ({
          elevo: {
            baseUrl: elevo.baseUrlFor(t.id),
            token: secretRef(`${t.id}-elevo.token`, elevoToken(t.id)),
            extraFields: { costCenter: `extendedData.${GENERATED_CODES.costCenter}` },
            exclusion: { fieldCode: GENERATED_CODES.skipElevoSync, policy: 'release' },
          },
        }),
      })),
    );
    for (const t of tenants) {
      const store = world.lucca.tenant(t.id);
      definedBeforeOurs(store, 12);
      for (const id of store.users.keys())
        if (isExcludedFromElevo(store, id)) store.clearExtendedValue(id, GENERATED_CODES.skipElevoSync, { touch: false });
      // An HR admin excluded one employee: the same one in every dialect.
      if (t.id !== NOBODY_EXCLUDED) store.setExtendedValue(excludable(store), GENERATED_CODES.skipElevoSync, true, { touch: false });
    }
  });
  afterAll(async () => {
    await world?.stop();
    await elevo?.stop();
  });

  const check = (tenantId: string) =>
    checkTenant({ tenant: world.harness.tenants.tenant(tenantId), secret: (ref) => world.harness.tenants.secret(ref) });
  const outcome = (report: TenantCheckReport) =>
    report.connectors.map((c) => ({
      connector: c.connector,
      canRun: c.canRun,
      findings: c.findings.map((f) => `${f.code}:${f.severity}`).sort(),
    }));

  describe.each(DIALECTS)('dialect %s', (name) => {
    const T = tenantOf(name);

    it('tenants check: both connectors can run, with the same findings as on the documented dialect', async () => {
      const report = await check(T);
      expect(report.lucca.map((f) => f.code)).toEqual(['lucca.key-ok']);
      const problems = report.connectors.flatMap((c) => c.findings).filter((f) => f.severity === 'blocking' || f.severity === 'warning');
      expect(problems.filter((f) => f.code !== 'lucca.future-employees-hidden')).toEqual([]);
      expect(report.canRun).toBe(true);
      expect(outcome(report)).toEqual(outcome(await check(tenantOf('documented'))));
    });

    it('Elevo sync: every current, non-excluded employee is created with the right manager', async () => {
      const store = world.lucca.tenant(T);
      const result = (await world.harness.env.client.workflow.execute(ELEVO_USER_SYNC, {
        taskQueue: world.harness.taskQueue,
        workflowId: elevoUserSyncWorkflowId(T, TODAY),
        args: [{ tenantId: T, runDate: TODAY }],
      })) as ElevoSyncResult;
      expect(result).toMatchObject({ status: 'completed', failed: 0 });
      const expected = [...store.users.values()].filter((u) => store.statusOf(u) === 'current' && !isExcludedFromElevo(store, u.id));
      const synced = new Map(elevo.users(T).map((u) => [Number(u.externalId), u]));
      expect([...synced.keys()].sort((a, b) => a - b)).toEqual(expected.map((u) => u.id).sort((a, b) => a - b));
      for (const u of expected) {
        expect(synced.get(u.id)).toMatchObject({
          firstName: u.firstName,
          email: u.mail,
          managerExternalId: u.managerId !== null && synced.has(u.managerId) ? String(u.managerId) : null,
        });
      }
    });

    it('screening: the intake starts one order per "to order" employee; the complete one is placed and written back', async () => {
      const complete = usersInState(world, T, 'complete-to-order');
      const incomplete = usersInState(world, T, 'incomplete-to-order');
      const orders = [...complete, ...incomplete].map((id) => orderInputFor(world, T, id));
      const before = world.lucca.stats(T).requests;
      const intake = (await world.harness.env.client.workflow.execute(SCREENING_INTAKE, {
        taskQueue: world.harness.taskQueue,
        workflowId: `screening-intake/${T}/dialects`,
        args: [{ tenantId: T }],
      })) as ScreeningIntakeResult;
      expect([...intake.started].sort()).toEqual(orders.map((o) => o.workflowId).sort());
      expect(intake.scanned).toBe(world.lucca.tenant(T).users.size);
      for (const order of orders.slice(0, complete.length)) await waitUntilFollowing(world, order.workflowId);
      for (const id of complete) expect(statusLabel(world, T, id)).toBe(CREATED);
      expect(world.aequivalent.dossiers(T)).toHaveLength(complete.length);
      // Attachments and the user in charge arrive whatever the shape of their values (GUID / user id, or objects).
      const store = world.lucca.tenant(T);
      for (const id of complete) {
        const dossier = world.aequivalent.dossiers(T).find((d) => d.externalReference === orderInputFor(world, T, id).workflowId)!;
        const others = store.getExtendedValue(id, GENERATED_CODES.otherFiles);
        const files =
          (store.getExtendedValue(id, GENERATED_CODES.cvFile) ? 1 : 0) + (Array.isArray(others) ? others.length : others ? 1 : 0);
        expect(dossier.documents).toHaveLength(files);
        const inCharge = store.getExtendedValue(id, GENERATED_CODES.clientUsername) as { value: number } | undefined;
        expect(dossier.clientUser?.luccaId ?? null).toBe(inCharge?.value ?? null);
      }
      for (const order of orders.slice(complete.length)) {
        expect(await world.harness.env.client.workflow.getHandle(order.workflowId).result()).toMatchObject({ outcome: 'invalid' });
      }
      // Lucca requests of the intake and its orders (intake, definitions, write-backs, files): reported by the suite.
      luccaRequestsPerIntake.set(name, world.lucca.stats(T).requests - before);
    });

    it('a hidden Background check section is never reported as fine', async () => {
      const store = world.lucca.tenant(T);
      const key = world.luccaKeys.get(T)!;
      store.setApiKeyPermissions(key, { readableSections: ['Elevo'] });
      try {
        const report = await check(T);
        const status = report.connectors.flatMap((c) => c.findings).find((f) => f.subject.startsWith(GENERATED_CODES.orderStatus))!;
        expect(hiddenVerdict(status)).toBe(store.dialect.unsetExtendedData === 'null' ? 'certain' : 'to-confirm');
      } finally {
        store.setApiKeyPermissions(key, { readableSections: 'all' });
      }
    });
  });

  it('Elevo sync, unset data left out and nobody excluded: stops on the safe side (cannot tell from a hidden checkbox)', async () => {
    const err = await world.harness.env.client.workflow
      .execute(ELEVO_USER_SYNC, {
        taskQueue: world.harness.taskQueue,
        workflowId: elevoUserSyncWorkflowId(NOBODY_EXCLUDED, TODAY),
        args: [{ tenantId: NOBODY_EXCLUDED, runDate: TODAY }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(((err as WorkflowFailedError).cause?.cause as ApplicationFailure).type).toBe('ExclusionFieldUnreadable');
    expect(elevo.users(NOBODY_EXCLUDED)).toEqual([]);
    // The check says the same without guessing: a warning to confirm, not a FAIL.
    const report = await check(NOBODY_EXCLUDED);
    const box = report.connectors
      .find((c) => c.connector === 'elevo-user-sync')!
      .findings.find((f) => f.subject.startsWith(GENERATED_CODES.skipElevoSync))!;
    expect(box).toMatchObject({ code: 'lucca.section-unconfirmed', severity: 'warning' });
  });

  afterAll(() => {
    if (luccaRequestsPerIntake.size > 0)
      process.stdout.write(
        `Lucca requests per intake (intake + its orders), by dialect: ${JSON.stringify(Object.fromEntries(luccaRequestsPerIntake))}\n`,
      );
  });
});

const luccaRequestsPerIntake = new Map<string, number>();

/** A current employee nobody reports to and without a Background check: excluding them changes nothing else. */
function excludable(store: LuccaTenantStore): number {
  const managers = new Set([...store.users.values()].map((u) => u.managerId));
  const user = [...store.users.values()].find(
    (u) =>
      store.statusOf(u) === 'current' && !managers.has(u.id) && store.getExtendedValue(u.id, GENERATED_CODES.orderStatus) === undefined,
  );
  if (!user) throw new Error('no employee to exclude');
  return user.id;
}

/**
 * A customer's own HR data, defined before the connectors' codes: a definitions read that gets only
 * the first page (10 without `paging` in Lucca's framework) would miss every code we need.
 */
function definedBeforeOurs(store: LuccaTenantStore, count: number): void {
  const ours = [...store.definitions.values()];
  store.definitions.clear();
  for (let i = 1; i <= count; i++)
    store.addDefinition({ code: `e_customer_data_${i}`, name: `Donnée client ${i}`, formatKey: 'text', section: 'Dossier' });
  for (const def of ours) store.definitions.set(def.code, def);
}

function hiddenVerdict(f: CheckFinding): 'certain' | 'to-confirm' | 'other' {
  if (f.code === 'lucca.section-hidden' && f.severity === 'blocking') return 'certain';
  if (f.code === 'lucca.section-unconfirmed' && f.severity === 'warning' && f.fix?.startsWith('To confirm:')) return 'to-confirm';
  return 'other';
}
