import { computeSyncPlan } from '../../../src/connectors/elevo-user-sync/domain/compute-sync-plan';
import { changesToPatch } from '../../../src/connectors/elevo-user-sync/domain/attribute-mapping';
import type { PlanOptions, SourceEmployee, SyncAction, TargetUser } from '../../../src/connectors/elevo-user-sync/domain/sync-model';
import { ElevoClient } from '../../../src/connectors/elevo-user-sync/elevo/client';
import { ElevoSandbox } from '../../../dev/simulators/elevo/elevo-sandbox';

/**
 * The plan's actions, applied through the client to the sandbox, must converge: the next plan is
 * empty. (A minimal applier for the test; the real one lives with the workflow's activities.)
 */
async function apply(client: ElevoClient, actions: SyncAction[]): Promise<void> {
  for (const [i, a] of actions.entries()) {
    switch (a.kind) {
      case 'create':
        await client.createUser(a.attributes, `test:${a.luccaId}:${i}`);
        break;
      case 'adopt':
        await client.updateUser(a.elevoId, {
          ...changesToPatch(a.changes),
          externalId: a.externalId,
          lockedAttributes: a.lockedAttributes,
        });
        if (a.reactivate) await client.reactivateUser(a.elevoId);
        break;
      case 'update':
        await client.updateUser(a.elevoId, {
          ...changesToPatch(a.changes),
          ...(a.lockedAttributes ? { lockedAttributes: a.lockedAttributes } : {}),
        });
        break;
      case 'reactivate':
        await client.updateUser(a.elevoId, {
          ...changesToPatch(a.changes),
          ...(a.lockedAttributes ? { lockedAttributes: a.lockedAttributes } : {}),
        });
        await client.reactivateUser(a.elevoId);
        break;
      case 'suspend':
        await client.suspendUser(a.elevoId);
        break;
      case 'release':
        await client.releaseUser(a.elevoId);
        break;
      case 'skip':
        break;
    }
  }
}

async function target(client: ElevoClient): Promise<TargetUser[]> {
  const all: TargetUser[] = [];
  for await (const page of client.listUserPages()) all.push(...page);
  return all;
}

const e = (luccaId: number, over: Partial<SourceEmployee> = {}): SourceEmployee => ({
  luccaId,
  firstName: `Prénom${luccaId}`,
  lastName: `Nom${luccaId}`,
  email: `p${luccaId}@example.test`,
  employeeNumber: `M${luccaId}`,
  jobTitle: 'Chargé de mission',
  managerLuccaId: null,
  department: 'Finance',
  contractStart: '2022-01-03',
  contractEnd: null,
  excluded: false,
  extraFields: { costCenter: `CC${luccaId % 3}`, site: null },
  ...over,
});

describe('sync plan applied to the Elevo sandbox converges', () => {
  let sandbox: ElevoSandbox;
  beforeAll(async () => {
    sandbox = await ElevoSandbox.start({ tenants: [{ tenantId: 'rt', token: 'round-trip-token-123' }] });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('first sync with adoption, then a day of changes, each followed by an empty plan', async () => {
    const client = new ElevoClient({ tenantId: 'rt', baseUrl: sandbox.baseUrlFor('rt'), token: 'round-trip-token-123', perPage: 7 });
    const options: PlanOptions = { today: '2025-06-15', exclusionPolicy: 'release', extraFieldKeys: ['costCenter', 'site'] };
    sandbox.seedUser('rt', { email: 'P3@example.test', firstName: 'Old', lastName: 'Name' }); // adopted by email
    sandbox.seedUser('rt', { email: 'someone@example.test' }); // never managed: left alone
    // Reverse order: reports before managers, a 3-level chain and a cycle.
    const day1 = [
      e(5, { managerLuccaId: 4 }),
      e(4, { managerLuccaId: 3 }),
      e(3),
      e(6, { managerLuccaId: 7 }),
      e(7, { managerLuccaId: 6 }),
      e(8, { excluded: true }),
    ];
    const plan1 = computeSyncPlan(day1, await target(client), options);
    expect(plan1.counts).toMatchObject({ create: 4, adopt: 1, skip: 1, unmanaged: 1 });
    await apply(client, plan1.actions);
    expect(computeSyncPlan(day1, await target(client), options).actions.filter((a) => a.kind !== 'skip')).toEqual([]);

    const day2 = [
      e(5, { managerLuccaId: 3, jobTitle: 'Responsable' }),
      e(4, { contractEnd: '2025-06-01' }),
      e(3, { extraFields: { costCenter: 'CC9', site: 'Lyon' } }),
      e(6, { excluded: true }),
      e(7, { managerLuccaId: null }),
      e(8),
      e(9, { managerLuccaId: 8 }),
    ];
    const plan2 = computeSyncPlan(day2, await target(client), options);
    expect(plan2.counts).toMatchObject({ create: 2, suspend: 1, release: 1 });
    await apply(client, plan2.actions);
    // Only the still-excluded, released user remains listed, as a skip without write.
    expect(computeSyncPlan(day2, await target(client), options).actions.map((a) => [a.kind, a.reason, a.luccaId])).toEqual([
      ['skip', 'excluded', 6],
    ]);

    const users = sandbox.users('rt');
    expect(users).toHaveLength(8); // 2 seeded (1 adopted) + 4 created on day 1 + 2 on day 2
    expect(users.find((u) => u.externalId === '4')?.status).toBe('suspended');
    expect(users.find((u) => u.externalId === '6')?.lockedAttributes).toEqual([]);
    expect(users.find((u) => u.email === 'someone@example.test')).toMatchObject({ status: 'active', externalId: null });
    expect(users.find((u) => u.externalId === '9')?.managerExternalId).toBe('8');
  });
});
