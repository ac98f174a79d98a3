import { computeSyncPlan } from '../../../src/connectors/elevo-user-sync/domain/compute-sync-plan';
import { summarizePlan } from '../../../src/connectors/elevo-user-sync/domain/summarize-plan';
import type { SyncAction, SyncPlan } from '../../../src/connectors/elevo-user-sync/domain/sync-model';
import { employee, manualUser, OPTIONS, syncedUser } from './plan-fixtures';

/** Asserts every manager reference in the plan points at a user that exists when the action runs. */
function expectManagersBeforeReports(plan: SyncPlan, existingExternalIds: Iterable<string>): void {
  const available = new Set(existingExternalIds);
  for (const a of plan.actions) {
    const manager = managerOf(a);
    if (manager) expect(available.has(manager)).toBe(true);
    if (a.kind === 'create') available.add(a.attributes.externalId);
    if (a.kind === 'adopt') available.add(a.externalId);
  }
}
function managerOf(a: SyncAction): string | null {
  if (a.kind === 'create') return a.attributes.managerExternalId;
  if (a.kind === 'update' || a.kind === 'adopt' || a.kind === 'reactivate')
    return a.changes.find((c) => c.field === 'managerExternalId')?.after ?? null;
  return null;
}

describe('computeSyncPlan — hierarchy', () => {
  it('first sync: all creates, a 3-level chain given in reverse order is created top-down', () => {
    const source = [employee(3, { managerLuccaId: 2 }), employee(2, { managerLuccaId: 1 }), employee(1)];
    const plan = computeSyncPlan(source, [], OPTIONS);
    expect(plan.actions.map((a) => [a.kind, a.luccaId])).toEqual([
      ['create', 1],
      ['create', 2],
      ['create', 3],
    ]);
    expect(plan.counts).toMatchObject({ create: 3, skip: 0, noop: 0 });
    expectManagersBeforeReports(plan, []);
  });

  it('first sync of a wide tree keeps source order among siblings', () => {
    const source = [
      employee(10, { managerLuccaId: 1 }),
      employee(11, { managerLuccaId: 1 }),
      employee(1),
      employee(12, { managerLuccaId: 10 }),
    ];
    const plan = computeSyncPlan(source, [], OPTIONS);
    expect(plan.actions.map((a) => a.luccaId)).toEqual([1, 10, 11, 12]);
  });

  it('a manager cycle is broken at the smallest Lucca id and reported, not fatal', () => {
    const source = [
      employee(5, { managerLuccaId: 7 }),
      employee(7, { managerLuccaId: 9 }),
      employee(9, { managerLuccaId: 5 }),
      employee(2, { managerLuccaId: 9 }),
    ];
    const plan = computeSyncPlan(source, [], OPTIONS);
    const creates = plan.actions.filter((a): a is Extract<SyncAction, { kind: 'create' }> => a.kind === 'create');
    expect(creates).toHaveLength(4);
    const five = creates.find((c) => c.luccaId === 5)!;
    expect(five).toMatchObject({ managerIssue: 'manager-cycle', managerLuccaId: 7 });
    expect(five.attributes.managerExternalId).toBeNull();
    expect(creates.filter((c) => c.managerIssue)).toHaveLength(1);
    expect(creates.map((c) => c.luccaId)).toEqual([5, 9, 7, 2]);
    expectManagersBeforeReports(plan, []);
    expect(summarizePlan(plan).managerIssues).toEqual({ 'manager-cycle': 1 });
  });

  it('an employee who is their own manager gets no manager and manager-cycle', () => {
    const plan = computeSyncPlan([employee(1, { managerLuccaId: 1 })], [], OPTIONS);
    expect(plan.actions[0]).toMatchObject({ kind: 'create', managerIssue: 'manager-cycle', attributes: { managerExternalId: null } });
  });

  it('a manager absent from Lucca: the report is created manager-less with manager-missing', () => {
    const plan = computeSyncPlan([employee(2, { managerLuccaId: 99 })], [], OPTIONS);
    expect(plan.actions[0]).toMatchObject({
      kind: 'create',
      luccaId: 2,
      managerIssue: 'manager-missing',
      managerLuccaId: 99,
      attributes: { managerExternalId: null },
    });
  });

  it('a manager who is not synced (invalid record, departed, future hire) gives manager-not-synced', () => {
    const source = [
      employee(1, { email: null }),
      employee(2, { contractEnd: '2020-01-01' }),
      employee(3, { contractStart: '2030-01-01' }),
      employee(11, { managerLuccaId: 1 }),
      employee(12, { managerLuccaId: 2 }),
      employee(13, { managerLuccaId: 3 }),
    ];
    const plan = computeSyncPlan(source, [], OPTIONS);
    for (const id of [11, 12, 13])
      expect(plan.actions.find((a) => a.luccaId === id)).toMatchObject({ kind: 'create', managerIssue: 'manager-not-synced' });
  });

  it('an excluded manager on first sync: report created manager-less with manager-excluded', () => {
    const plan = computeSyncPlan([employee(1, { excluded: true }), employee(2, { managerLuccaId: 1 })], [], OPTIONS);
    expect(plan.actions.find((a) => a.luccaId === 2)).toMatchObject({
      kind: 'create',
      managerIssue: 'manager-excluded',
      attributes: { managerExternalId: null },
    });
  });

  it('a departing manager: the report update (manager -> null) comes before the suspension', () => {
    const source = [employee(1, { contractEnd: '2025-01-31' }), employee(2, { managerLuccaId: 1 })];
    const plan = computeSyncPlan(source, [syncedUser(1), syncedUser(2, { managerLuccaId: 1 })], OPTIONS);
    expect(plan.actions.map((a) => [a.kind, a.luccaId])).toEqual([
      ['update', 2],
      ['suspend', 1],
    ]);
    expect(plan.actions[0]).toMatchObject({ managerIssue: 'manager-not-synced' });
  });

  it('an existing user moved under a manager being created is updated after that create', () => {
    const source = [employee(2, { managerLuccaId: 3 }), employee(3)];
    const plan = computeSyncPlan(source, [syncedUser(2)], OPTIONS);
    expect(plan.actions.map((a) => [a.kind, a.luccaId])).toEqual([
      ['create', 3],
      ['update', 2],
    ]);
    expectManagersBeforeReports(plan, ['2']);
  });

  it('a report created under a manager being adopted comes after the adoption', () => {
    const source = [employee(2, { managerLuccaId: 1 }), employee(1)];
    const plan = computeSyncPlan(source, [manualUser('m1', { email: 'user1@example.test' })], OPTIONS);
    expect(plan.actions.map((a) => [a.kind, a.luccaId])).toEqual([
      ['adopt', 1],
      ['create', 2],
    ]);
  });

  it('an adopted user whose manager is created in the same run is adopted after that create', () => {
    const source = [employee(2, { managerLuccaId: 1 }), employee(1)];
    const plan = computeSyncPlan(source, [manualUser('m2', { email: 'user2@example.test' })], OPTIONS);
    expect(plan.actions.map((a) => [a.kind, a.luccaId])).toEqual([
      ['create', 1],
      ['adopt', 2],
    ]);
    expectManagersBeforeReports(plan, []);
  });

  it('a report of a manager whose record is temporarily invalid keeps that manager', () => {
    const source = [employee(1, { email: 'broken' }), employee(2, { managerLuccaId: 1 })];
    const plan = computeSyncPlan(source, [syncedUser(1), syncedUser(2, { managerLuccaId: 1 })], OPTIONS);
    expect(plan.actions).toEqual([{ kind: 'skip', reason: 'invalid-record', luccaId: 1, elevoId: 'ev-1', detail: 'malformed-email' }]);
  });
});
