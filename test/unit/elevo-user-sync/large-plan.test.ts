import { computeSyncPlan } from '../../../src/connectors/elevo-user-sync/domain/compute-sync-plan';
import type { SourceEmployee, SyncAction } from '../../../src/connectors/elevo-user-sync/domain/sync-model';
import { employee, OPTIONS, syncedUser } from './plan-fixtures';

const N = 100_000;

/** A 100,000-employee tenant: a 10-ary tree listed leaves-first, plus a deep chain, with some churn. */
function population(): SourceEmployee[] {
  const list: SourceEmployee[] = [];
  for (let id = N; id >= 1; id--) {
    const manager = id === 1 ? null : id <= 1000 ? id - 1 /* a 1,000-deep chain */ : Math.floor(id / 10);
    list.push(employee(id, { managerLuccaId: manager }));
  }
  return list;
}

describe('computeSyncPlan — 100,000 employees', () => {
  it('first sync: 100,000 creates, every manager before its reports', () => {
    const plan = computeSyncPlan(population(), [], OPTIONS);
    expect(plan.counts.create).toBe(N);
    expect(plan.actions).toHaveLength(N);
    const created = new Set<string>();
    const outOfOrder: number[] = [];
    for (const a of plan.actions) {
      if (a.kind !== 'create') throw new Error(`unexpected ${a.kind}`);
      if (a.attributes.managerExternalId !== null && !created.has(a.attributes.managerExternalId)) outOfOrder.push(a.luccaId);
      created.add(a.attributes.externalId);
    }
    expect(outOfOrder).toEqual([]);
    expect(plan.actions.filter((a) => 'managerIssue' in a && a.managerIssue)).toHaveLength(0);
  });

  it('daily sync on 100,000 synced users: only the real changes', () => {
    const source = population();
    const target = source.map((e) => syncedUser(e.luccaId, e));
    // Churn: 50 renames, 20 departures, 10 deletions, 5 new hires.
    const changed = source
      .map((e) => {
        if (e.luccaId % 2000 === 7) return { ...e, lastName: `${e.lastName}-x` };
        if (e.luccaId % 5000 === 11) return { ...e, contractEnd: '2025-01-01' };
        return e;
      })
      .filter((e) => e.luccaId % 10_000 !== 13);
    for (let k = 1; k <= 5; k++) changed.push(employee(N + k, { managerLuccaId: k }));
    const plan = computeSyncPlan(changed, target, OPTIONS);
    const kinds = (kind: SyncAction['kind']) => plan.actions.filter((a) => a.kind === kind);
    const renames = kinds('update').filter((a) => a.kind === 'update' && a.changes.some((c) => c.field === 'lastName'));
    expect(renames).toHaveLength(50);
    // Reports of departed or deleted managers lose their manager, with the reason.
    const gone = new Set(source.filter((e) => e.luccaId % 5000 === 11 || e.luccaId % 10_000 === 13).map((e) => e.luccaId));
    const orphans = changed.filter((e) => e.managerLuccaId !== null && gone.has(e.managerLuccaId) && !gone.has(e.luccaId));
    const unlinked = kinds('update').filter(
      (a) => a.kind === 'update' && a.changes.some((c) => c.field === 'managerExternalId' && c.after === null),
    );
    expect(unlinked.map((a) => a.luccaId).sort()).toEqual(orphans.map((e) => e.luccaId).sort());
    expect(
      unlinked.every((a) => 'managerIssue' in a && (a.managerIssue === 'manager-not-synced' || a.managerIssue === 'manager-missing')),
    ).toBe(true);
    expect(kinds('update')).toHaveLength(50 + orphans.length);
    expect(kinds('suspend').filter((a) => a.reason === 'contract-ended')).toHaveLength(20);
    expect(kinds('suspend').filter((a) => a.reason === 'gone-from-source')).toHaveLength(10);
    expect(kinds('create')).toHaveLength(5);
    expect(plan.counts.noop).toBe(N - 50 - 20 - 10 - orphans.length);
  });
});
