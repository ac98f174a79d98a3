import { WorkflowFailedError, WorkflowIdReusePolicy, WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import type { RunReport } from '../../../src/connectors/elevo-user-sync/domain/run-report';
import { renderElevoRunReport } from '../../../src/connectors/elevo-user-sync/report/render-run-report';
import { ElevoClient } from '../../../src/connectors/elevo-user-sync/elevo/client';
import { GENERATED_CODES } from '../../../dev/simulators/lucca';
import {
  approveElevoSyncUpdate,
  elevoSyncProgressQuery,
  elevoUserSyncWorkflowId,
  rejectElevoSyncUpdate,
  type ElevoSyncResult,
  type ElevoUserSyncInput,
  ELEVO_USER_SYNC,
} from '../../../src/connectors/elevo-user-sync/contract';
import { startElevoSyncWorld, type ElevoSyncWorld } from '../../support/elevo-sync-world';
import { plaintextClient } from '../../support/plaintext-client';
import { waitUntilHeld } from '../../support/wait-until-held';
import { isExcludedFromElevo } from '../../support/excluded-from-elevo';
import { signedFor, TEST_OPERATOR } from '../../support/test-operator';

const TENANT = 'acme';
const LUCCA_KEY = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
const ELEVO_TOKEN = 'test-elevo-token';
const TODAY = '2026-11-20';

describe('elevoUserSync on a real Temporal server against the Lucca and Elevo sandboxes', () => {
  let world: ElevoSyncWorld;
  let runCounter = 0;

  beforeAll(async () => {
    world = await startElevoSyncWorld([
      {
        id: TENANT,
        luccaApiKey: LUCCA_KEY,
        elevoToken: ELEVO_TOKEN,
        employees: 300,
        seed: 99,
        today: TODAY,
        elevo: {
          extraFields: { costCenter: 'extendedData.e_cost_center' },
          exclusion: { fieldCode: 'e_skip_elevo_sync', policy: 'release' },
          safety: { maxSuspendPercent: 10, maxSuspendCount: 20, maxPopulationDropPercent: 20 },
          batchSize: 40,
        },
      },
    ]);
  });
  afterAll(async () => world?.stop());

  const users = () => [...world.store.users.values()];
  const isExcluded = (id: number) => isExcludedFromElevo(world.store, id);
  const elevoUsers = () => world.elevo.users(TENANT);
  const byExternalId = () =>
    new Map(
      elevoUsers()
        .filter((u) => u.externalId)
        .map((u) => [Number(u.externalId), u]),
    );

  async function startSync(input: Partial<ElevoUserSyncInput> = {}) {
    // A fresh id per test run of the same date (production ids are one per tenant and date).
    const workflowId = `${elevoUserSyncWorkflowId(TENANT, TODAY)}/t${++runCounter}`;
    return world.harness.env.client.workflow.start(ELEVO_USER_SYNC, {
      workflowId,
      taskQueue: world.harness.taskQueue,
      args: [{ tenantId: TENANT, runDate: TODAY, ...input }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  }
  const runSync = async (input: Partial<ElevoUserSyncInput> = {}): Promise<ElevoSyncResult> => (await startSync(input)).result();
  const report = (result: ElevoSyncResult) => world.harness.artifacts.requireJson<RunReport>(result.reportKey);

  it('first sync creates every current, non-excluded employee with the right manager', async () => {
    const result = await runSync();
    const expected = users().filter((u) => world.store.statusOf(u) === 'current' && !isExcluded(u.id));
    expect(result.status).toBe('completed');
    expect(result.failed).toBe(0);
    expect(result.planned.create).toBe(expected.length);
    const synced = byExternalId();
    expect(synced.size).toBe(expected.length);
    for (const u of expected) {
      const e = synced.get(u.id)!;
      expect(e).toMatchObject({ firstName: u.firstName, lastName: u.lastName, email: u.mail, status: 'active' });
      expect(e.managerExternalId).toBe(u.managerId !== null && synced.has(u.managerId) ? String(u.managerId) : null);
      expect(e.lockedAttributes).toEqual(
        expect.arrayContaining(['firstName', 'lastName', 'email', 'managerExternalId', 'customFields.costCenter']),
      );
    }
    // Excluded, former and future employees are absent.
    for (const u of users().filter((u) => isExcluded(u.id) || world.store.statusOf(u) !== 'current')) expect(synced.has(u.id)).toBe(false);
    expect(users().some((u) => isExcluded(u.id) && world.store.statusOf(u) === 'current')).toBe(true);
    const lines = (await report(result)).lines;
    expect(lines.filter((l) => l.action === 'create' && l.outcome === 'applied')).toHaveLength(expected.length);
    expect(lines.filter((l) => l.action === 'skip' && l.reason === 'excluded').length).toBeGreaterThan(0);
  });

  it('an unchanged re-run writes nothing to Elevo', async () => {
    world.elevo.resetStats(TENANT);
    const result = await runSync();
    expect(world.elevo.writeCount(TENANT)).toBe(0);
    expect(result.applied).toBe(0);
    expect(result.planned).toMatchObject({ create: 0, update: 0, suspend: 0, reactivate: 0, release: 0, adopt: 0 });
    expect(result.luccaRequests).toBe(2); // 1 page of ≤1000 users + the definitions collection (was 3: one request per code)
  });

  it('follows Lucca changes: rename, new manager, new hire, departure, deletion, exclusion, rehire', async () => {
    const current = users().filter((u) => world.store.statusOf(u) === 'current' && !isExcluded(u.id));
    const leaves = current.filter((u) => !users().some((r) => r.managerId === u.id));
    const [renamed, moved, leaver, deleted, excluded] = leaves;
    const newManager = current.find((u) => u.id !== moved!.managerId && u.id !== moved!.id && u.managerId !== null)!;
    const former = users().find((u) => world.store.statusOf(u) === 'former' && !isExcluded(u.id))!;
    // A returning employee was synced before (suspended in Elevo) and comes back with a new contract.
    world.elevo.seedUser(TENANT, {
      email: former.mail!,
      externalId: String(former.id),
      firstName: former.firstName,
      lastName: former.lastName,
      status: 'suspended',
      lockedAttributes: ['firstName', 'lastName', 'email'],
    });
    world.store.updateUser(renamed!.id, { lastName: 'Lefèvre-Martin' });
    world.store.updateUser(moved!.id, { managerId: newManager.id });
    const hire = world.store.addUser({
      firstName: 'Anaïs',
      lastName: 'Périer',
      mail: 'anais.perier@acme.example.fr',
      employeeNumber: '99001',
      jobTitle: 'Juriste',
      managerId: newManager.id,
      dtContractStart: '2026-11-02T00:00:00',
      dtContractEnd: null,
    });
    world.store.updateUser(leaver!.id, { dtContractEnd: '2026-11-15T00:00:00' });
    world.store.deleteUser(deleted!.id);
    world.store.setExtendedValue(excluded!.id, GENERATED_CODES.skipElevoSync, true);
    world.store.updateUser(former.id, { dtContractStart: '2026-11-16T00:00:00', dtContractEnd: null });

    const result = await runSync();
    expect(result.status).toBe('completed');
    expect(result.failed).toBe(0);
    const after = byExternalId();
    expect(after.get(renamed!.id)!.lastName).toBe('Lefèvre-Martin');
    expect(after.get(moved!.id)!.managerExternalId).toBe(String(newManager.id));
    expect(after.get(hire.id)).toMatchObject({ firstName: 'Anaïs', status: 'active', managerExternalId: String(newManager.id) });
    expect(after.get(leaver!.id)!.status).toBe('suspended');
    expect(after.get(deleted!.id)!.status).toBe('suspended');
    expect(after.get(excluded!.id)).toMatchObject({ status: 'active', lockedAttributes: [] }); // released, not suspended
    expect(after.get(former.id)).toMatchObject({ status: 'active' });
    expect(after.get(former.id)!.lockedAttributes.length).toBeGreaterThan(3);

    const lines = (await report(result)).lines;
    const lineOf = (id: number) => lines.find((l) => l.luccaId === id)!;
    expect(lineOf(renamed!.id)).toMatchObject({
      action: 'update',
      outcome: 'applied',
      changes: [{ field: 'lastName', before: renamed!.lastName, after: 'Lefèvre-Martin' }],
    });
    expect(lineOf(leaver!.id)).toMatchObject({ action: 'suspend', reason: 'contract-ended' });
    expect(lineOf(deleted!.id)).toMatchObject({ action: 'suspend', reason: 'gone-from-source' });
    expect(lineOf(excluded!.id)).toMatchObject({ action: 'release', reason: 'excluded' });
    expect(lineOf(former.id)).toMatchObject({ action: 'reactivate', reason: 'rehired' });
    expect(lineOf(hire.id)).toMatchObject({ action: 'create', outcome: 'applied' });
    const text = renderElevoRunReport(await report(result), 'text');
    expect(text).toContain('lastName: "' + renamed!.lastName + '" -> "Lefèvre-Martin"');
    const csv = renderElevoRunReport(await report(result), 'csv');
    expect(csv.split('\r\n')[0]).toBe('needs_action,action,outcome,lucca_id,elevo_id,name,reason,detail,manager_issue,changes,error,hint');
    expect(csv).toContain(`,Suspend,applied,${deleted!.id},`);
  });

  it('a dry run computes the plan and writes nothing', async () => {
    const someone = users().find((u) => world.store.statusOf(u) === 'current' && !isExcluded(u.id) && byExternalId().has(u.id))!;
    world.store.updateUser(someone.id, { jobTitle: 'Directrice des opérations' });
    world.elevo.resetStats(TENANT);
    const result = await runSync({ dryRun: true });
    expect(result.status).toBe('dry-run');
    expect(result.planned.update).toBe(1);
    expect(world.elevo.writeCount(TENANT)).toBe(0);
    expect((await report(result)).lines.find((l) => l.luccaId === someone.id)).toMatchObject({ action: 'update', outcome: 'planned' });
    await runSync(); // apply it so later tests start from a clean state
  });

  it('holds a run that would suspend too many users until approved', async () => {
    const victims = users()
      .filter((u) => world.store.statusOf(u) === 'current' && !isExcluded(u.id) && !users().some((r) => r.managerId === u.id))
      .slice(0, 25);
    for (const v of victims) world.store.deleteUser(v.id);
    world.elevo.resetStats(TENANT);
    const handle = await startSync();
    const progress = await waitUntilHeld(handle);
    expect(progress.holdReasons.map((r) => r.code)).toContain('suspend-count-over-threshold');
    expect(progress.plan?.counts.suspend).toBe(25);
    expect(world.elevo.writeCount(TENANT)).toBe(0);

    // Refused: an approval sent without the payload key (plaintext), and one with a typed name only (no signed proof).
    const plainClient = plaintextClient(world.harness);
    await expect(
      plainClient.workflow.getHandle(handle.workflowId).executeUpdate(approveElevoSyncUpdate, { args: [{ by: 'intruder', client: 'x' }] }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(handle.executeUpdate(approveElevoSyncUpdate, { args: [{ by: 'anyone' } as never] })).rejects.toThrow(
      WorkflowUpdateFailedError,
    );
    expect((await handle.query(elevoSyncProgressQuery)).status).toBe('held');
    expect(world.elevo.writeCount(TENANT)).toBe(0);

    await handle.executeUpdate(approveElevoSyncUpdate, {
      args: [
        await signedFor(handle, 'approve', {
          by: 'ops@example.com',
          client: 'lucca-connectors-cli/ops@example.com',
          comment: 'planned restructuring',
        }),
      ],
    });
    const result = await handle.result();
    // The operator the signature proves, not the name the request typed.
    expect(result).toMatchObject({
      status: 'completed',
      applied: 25,
      decision: { approved: true, by: TEST_OPERATOR.name, client: 'lucca-connectors-cli/ops@example.com' },
    });
    // The test's client has its own Temporal identity: the report shows it next to the request's claim.
    expect(renderElevoRunReport(await report(result), 'text')).toContain(
      `${TEST_OPERATOR.name} (proven by operator key ${result.decision?.key}) (Temporal client ${world.harness.env.client.options.identity} as recorded by Temporal; the request claimed lucca-connectors-cli/ops@example.com) — planned restructuring`,
    );
    expect(renderElevoRunReport(await report(result), 'text')).toMatch(/Approved by\s+ops@test\.example/);
    const after = byExternalId();
    for (const v of victims) expect(after.get(v.id)!.status).toBe('suspended');
  });

  it('rejects a held run: nothing is suspended and the report says so', async () => {
    const victims = users()
      .filter((u) => world.store.statusOf(u) === 'current' && !isExcluded(u.id) && !users().some((r) => r.managerId === u.id))
      .slice(0, 21);
    for (const v of victims) world.store.deleteUser(v.id);
    world.elevo.resetStats(TENANT);
    const handle = await startSync();
    await waitUntilHeld(handle);
    await handle.executeUpdate(rejectElevoSyncUpdate, {
      args: [await signedFor(handle, 'reject', { by: 'hr-admin', client: 'elevo-sync-test', comment: 'import error in Lucca' })],
    });
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'rejected', applied: 0, decision: { approved: false, by: TEST_OPERATOR.name } });
    expect(world.elevo.writeCount(TENANT)).toBe(0);
    const after = byExternalId();
    for (const v of victims) expect(after.get(v.id)!.status).toBe('active');
    expect((await report(result)).lines.filter((l) => l.action === 'suspend').every((l) => l.outcome === 'not-applied')).toBe(true);
    // Approving a run that is not held is refused by the validator.
    await expect(
      handle.executeUpdate(approveElevoSyncUpdate, {
        args: [await signedFor(handle, 'approve', { by: 'late', client: 'elevo-sync-test' })],
      }),
    ).rejects.toThrow();
  });

  it('stops, writing nothing, when the key can no longer see the exclusion checkbox', async () => {
    world.store.setApiKeyPermissions(LUCCA_KEY, { readableSections: ['e_cost_center'] });
    world.elevo.resetStats(TENANT);
    try {
      const err = await runSync().catch((e: unknown) => e as WorkflowFailedError);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      const cause = (err as WorkflowFailedError).cause?.cause as ApplicationFailure;
      expect(cause.type).toBe('ExclusionFieldUnreadable');
      expect(cause.message).toContain('e_skip_elevo_sync');
      expect(world.elevo.writeCount(TENANT)).toBe(0);
    } finally {
      world.store.setApiKeyPermissions(LUCCA_KEY, { readableSections: 'all' });
    }
  });

  it('Elevo refuses an admin edit of a locked attribute', async () => {
    const client = new ElevoClient({ tenantId: TENANT, baseUrl: world.elevo.baseUrlFor(TENANT), token: ELEVO_TOKEN });
    const synced = elevoUsers().find((u) => u.lockedAttributes.includes('jobTitle') && u.status === 'active')!;
    await expect(client.adminEditUser(synced.id, { jobTitle: 'Pirate' })).rejects.toMatchObject({
      system: 'elevo',
      status: 423,
      retryable: false,
    });
    expect(elevoUsers().find((u) => u.id === synced.id)!.jobTitle).toBe(synced.jobTitle);
  });
});
