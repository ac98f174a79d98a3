import { computeSyncPlan } from '../../../src/connectors/elevo-user-sync/domain/compute-sync-plan';
import { changesToPatch, lockedAttributeNames } from '../../../src/connectors/elevo-user-sync/domain/attribute-mapping';
import { summarizePlan } from '../../../src/connectors/elevo-user-sync/domain/summarize-plan';
import type { SyncAction, SyncPlan } from '../../../src/connectors/elevo-user-sync/domain/sync-model';
import { employee, LOCK, manualUser, OPTIONS, syncedUser, TODAY } from './plan-fixtures';

const ofKind = <K extends SyncAction['kind']>(plan: SyncPlan, kind: K) =>
  plan.actions.filter((a): a is Extract<SyncAction, { kind: K }> => a.kind === kind);
const forId = (plan: SyncPlan, luccaId: number) => plan.actions.filter((a) => a.luccaId === luccaId);

describe('computeSyncPlan — steady state', () => {
  it('unchanged population gives zero actions, only noops', () => {
    const source = [employee(1), employee(2, { managerLuccaId: 1 }), employee(3, { managerLuccaId: 1 })];
    const target = source.map((e) => syncedUser(e.luccaId, e));
    const plan = computeSyncPlan(source, target, OPTIONS);
    expect(plan.actions).toEqual([]);
    expect(plan.counts.noop).toBe(3);
  });

  it('ignores trailing whitespace, ""/null and email case when comparing', () => {
    const e = employee(1, { jobTitle: 'Engineer  ', department: '', email: 'USER1@Example.test' });
    const t = syncedUser(1, {}, { department: null, email: 'user1@example.test', jobTitle: 'Engineer' });
    const plan = computeSyncPlan([e], [t], OPTIONS);
    expect(plan.actions).toEqual([]);
    expect(plan.counts.noop).toBe(1);
  });

  it('a rename is an update with field-level before/after', () => {
    const plan = computeSyncPlan([employee(1, { lastName: 'Martin-Durand' })], [syncedUser(1)], OPTIONS);
    expect(plan.actions).toEqual([
      {
        kind: 'update',
        reason: 'attributes-changed',
        luccaId: 1,
        elevoId: 'ev-1',
        changes: [{ field: 'lastName', before: 'Last1', after: 'Martin-Durand' }],
      },
    ]);
    expect(changesToPatch(ofKind(plan, 'update')[0]!.changes)).toEqual({ lastName: 'Martin-Durand' });
  });

  it('an email change is an update of the same user, not a new user', () => {
    const plan = computeSyncPlan([employee(1, { email: 'new1@example.test' })], [syncedUser(1)], OPTIONS);
    expect(plan.counts.create).toBe(0);
    expect(ofKind(plan, 'update')[0]!.changes).toEqual([{ field: 'email', before: 'user1@example.test', after: 'new1@example.test' }]);
  });

  it('an email change to an address another Elevo user holds is skipped as email-taken', () => {
    const plan = computeSyncPlan(
      [employee(1, { email: 'taken@example.test' })],
      [syncedUser(1), manualUser('m1', { email: 'Taken@example.test' })],
      OPTIONS,
    );
    expect(plan.actions).toEqual([{ kind: 'skip', reason: 'email-taken', luccaId: 1, elevoId: 'ev-1', detail: 'held-by-elevo:m1' }]);
  });

  it('a manager change is an update of managerExternalId', () => {
    const source = [employee(1), employee(2), employee(3, { managerLuccaId: 2 })];
    const target = [syncedUser(1), syncedUser(2), syncedUser(3, { managerLuccaId: 1 })];
    const plan = computeSyncPlan(source, target, OPTIONS);
    expect(plan.actions).toEqual([
      {
        kind: 'update',
        reason: 'attributes-changed',
        luccaId: 3,
        elevoId: 'ev-3',
        changes: [{ field: 'managerExternalId', before: '1', after: '2' }],
      },
    ]);
  });

  it('custom text fields are synced, compared and patched under customFields', () => {
    const plan = computeSyncPlan([employee(1, { extraFields: { costCenter: 'CC9', ignored: 'x' } })], [syncedUser(1)], OPTIONS);
    const update = ofKind(plan, 'update')[0]!;
    expect(update.changes).toEqual([{ field: 'customFields.costCenter', before: 'CC1', after: 'CC9' }]);
    expect(changesToPatch(update.changes)).toEqual({ customFields: { costCenter: 'CC9' } });
  });

  it('a new custom field key relocks and fills the field', () => {
    const options = { ...OPTIONS, extraFieldKeys: ['costCenter', 'site'] };
    const plan = computeSyncPlan([employee(1, { extraFields: { costCenter: 'CC1', site: 'Lyon' } })], [syncedUser(1)], options);
    const update = ofKind(plan, 'update')[0]!;
    expect(update.changes).toEqual([{ field: 'customFields.site', before: null, after: 'Lyon' }]);
    expect(update.lockedAttributes).toEqual(lockedAttributeNames(['costCenter', 'site']));
  });

  it('lockedAttributeNames lists base fields and custom fields', () => {
    expect(lockedAttributeNames(['b', 'a'])).toEqual([
      'email',
      'registrationNumber',
      'firstName',
      'lastName',
      'jobTitle',
      'managerExternalId',
      'department',
      'workStartDate',
      'customFields.a',
      'customFields.b',
    ]);
  });
});

describe('computeSyncPlan — arrivals and departures', () => {
  it('a new hire is created with every attribute mapped and locked', () => {
    const plan = computeSyncPlan([employee(1), employee(2, { managerLuccaId: 1 })], [syncedUser(1)], OPTIONS);
    expect(plan.actions).toEqual([
      {
        kind: 'create',
        reason: 'new-employee',
        luccaId: 2,
        attributes: {
          externalId: '2',
          email: 'user2@example.test',
          registrationNumber: 'M2',
          firstName: 'First2',
          lastName: 'Last2',
          jobTitle: 'Engineer',
          managerExternalId: '1',
          department: 'R&D',
          workStartDate: '2020-01-01',
          customFields: { costCenter: 'CC1' },
          lockedAttributes: LOCK,
        },
      },
    ]);
  });

  it('a future hire is skipped as not-yet-started and created on the start date', () => {
    const future = employee(1, { contractStart: '2025-07-01' });
    const before = computeSyncPlan([future], [], OPTIONS);
    expect(before.actions).toEqual([{ kind: 'skip', reason: 'not-yet-started', luccaId: 1, detail: 'starts-on-2025-07-01' }]);
    const onStart = computeSyncPlan([future], [], { ...OPTIONS, today: '2025-07-01' });
    expect(ofKind(onStart, 'create')).toHaveLength(1);
  });

  it('a departure (contract ended) suspends the managed user; the end date itself is still active', () => {
    const lastDay = computeSyncPlan([employee(1, { contractEnd: TODAY })], [syncedUser(1)], OPTIONS);
    expect(lastDay.actions).toEqual([]);
    const after = computeSyncPlan([employee(1, { contractEnd: '2025-06-14' })], [syncedUser(1)], OPTIONS);
    expect(after.actions).toEqual([{ kind: 'suspend', reason: 'contract-ended', luccaId: 1, elevoId: 'ev-1' }]);
  });

  it('an employee deleted from Lucca is suspended as gone-from-source, never deleted', () => {
    const plan = computeSyncPlan([employee(1)], [syncedUser(1), syncedUser(2)], OPTIONS);
    expect(plan.actions).toEqual([{ kind: 'suspend', reason: 'gone-from-source', luccaId: 2, elevoId: 'ev-2' }]);
  });

  it('an already-suspended user whose employee is still gone is a noop', () => {
    const plan = computeSyncPlan(
      [employee(1, { contractEnd: '2024-01-01' })],
      [syncedUser(1, {}, { status: 'suspended' }), syncedUser(2, {}, { status: 'suspended' })],
      OPTIONS,
    );
    expect(plan.actions).toEqual([]);
    expect(plan.counts.noop).toBe(2);
  });

  it('Elevo users never managed by the sync are left alone, not suspended', () => {
    const plan = computeSyncPlan([employee(1)], [syncedUser(1), manualUser('m1'), syncedUser(9, {}, { lockedAttributes: [] })], OPTIONS);
    expect(plan.actions).toEqual([]);
    expect(plan.counts.unmanaged).toBe(2);
  });

  it('a rehire (suspended by us, active contract again) is reactivated with changes', () => {
    const rehired = employee(1, { contractStart: '2025-06-01', jobTitle: 'Lead' });
    const plan = computeSyncPlan([rehired], [syncedUser(1, { contractStart: '2019-01-01' }, { status: 'suspended' })], OPTIONS);
    expect(plan.actions).toEqual([
      {
        kind: 'reactivate',
        reason: 'rehired',
        luccaId: 1,
        elevoId: 'ev-1',
        changes: [
          { field: 'jobTitle', before: 'Engineer', after: 'Lead' },
          { field: 'workStartDate', before: '2019-01-01', after: '2025-06-01' },
        ],
      },
    ]);
  });

  it("a contract that ends before it starts follows Lucca's split (former): a suspended user stays suspended", () => {
    const e = employee(1, { contractStart: '2025-09-01', contractEnd: '2024-12-31' });
    const plan = computeSyncPlan([e], [syncedUser(1, {}, { status: 'suspended' })], OPTIONS);
    expect(plan.actions).toEqual([]);
    expect(plan.counts.noop).toBe(1);
  });

  it('a contradictory contract (end before start, end past) is reported, never created', () => {
    const e = employee(1, { contractStart: '2020-03-01', contractEnd: '2019-06-30' });
    const plan = computeSyncPlan([e], [], OPTIONS);
    expect(plan.actions).toEqual([
      { kind: 'skip', reason: 'contradictory-contract', luccaId: 1, detail: 'contract-ends-before-it-starts' },
    ]);
    expect(plan.counts.create).toBe(0);
  });

  it('a contradictory contract of an active synced user is suspended like any former employee', () => {
    const e = employee(1, { contractStart: '2020-03-01', contractEnd: '2019-06-30' });
    const plan = computeSyncPlan([e], [syncedUser(1)], OPTIONS);
    expect(plan.actions).toEqual([{ kind: 'suspend', reason: 'contract-ended', luccaId: 1, elevoId: 'ev-1' }]);
  });
});

describe('computeSyncPlan — exclusion', () => {
  it('an excluded employee never synced is skipped', () => {
    const plan = computeSyncPlan([employee(1, { excluded: true })], [], OPTIONS);
    expect(plan.actions).toEqual([{ kind: 'skip', reason: 'excluded', luccaId: 1 }]);
  });

  it('policy release: a newly excluded synced user is released, not suspended', () => {
    const plan = computeSyncPlan([employee(1, { excluded: true })], [syncedUser(1)], OPTIONS);
    expect(plan.actions).toEqual([{ kind: 'release', reason: 'excluded', luccaId: 1, elevoId: 'ev-1' }]);
  });

  it('policy suspend: a newly excluded synced user is suspended with reason excluded', () => {
    const plan = computeSyncPlan([employee(1, { excluded: true })], [syncedUser(1)], { ...OPTIONS, exclusionPolicy: 'suspend' });
    expect(plan.actions).toEqual([{ kind: 'suspend', reason: 'excluded', luccaId: 1, elevoId: 'ev-1' }]);
  });

  it('a released user still excluded is skipped without any write', () => {
    const plan = computeSyncPlan([employee(1, { excluded: true })], [syncedUser(1, {}, { lockedAttributes: [] })], OPTIONS);
    expect(plan.actions).toEqual([{ kind: 'skip', reason: 'excluded', luccaId: 1, elevoId: 'ev-1' }]);
    expect(summarizePlan(plan).writes).toBe(0);
  });

  it('a released user whose exclusion is removed is updated and relocked', () => {
    const plan = computeSyncPlan([employee(1, { jobTitle: 'Lead' })], [syncedUser(1, {}, { lockedAttributes: [] })], OPTIONS);
    expect(plan.actions).toEqual([
      {
        kind: 'update',
        reason: 'exclusion-removed',
        luccaId: 1,
        elevoId: 'ev-1',
        changes: [{ field: 'jobTitle', before: 'Engineer', after: 'Lead' }],
        lockedAttributes: LOCK,
      },
    ]);
  });

  it('an excluded manager: reports lose their manager with manager-excluded', () => {
    const source = [employee(1, { excluded: true }), employee(2, { managerLuccaId: 1 })];
    const plan = computeSyncPlan(source, [syncedUser(1), syncedUser(2, { managerLuccaId: 1 })], OPTIONS);
    expect(plan.actions).toEqual([
      {
        kind: 'update',
        reason: 'attributes-changed',
        luccaId: 2,
        elevoId: 'ev-2',
        changes: [{ field: 'managerExternalId', before: '1', after: null }],
        managerIssue: 'manager-excluded',
        managerLuccaId: 1,
      },
      { kind: 'release', reason: 'excluded', luccaId: 1, elevoId: 'ev-1' },
    ]);
  });
});

describe('computeSyncPlan — adoption on first sync', () => {
  it('adopts an existing Elevo user by email (case-insensitive), linking and locking it', () => {
    const existing = manualUser('m1', { email: 'USER1@example.test', firstName: 'First1', lastName: 'Last1' });
    const plan = computeSyncPlan([employee(1)], [existing], OPTIONS);
    const [adopt] = ofKind(plan, 'adopt');
    expect(plan.actions).toHaveLength(1);
    expect(adopt).toMatchObject({
      luccaId: 1,
      elevoId: 'm1',
      externalId: '1',
      matchedBy: 'email',
      lockedAttributes: LOCK,
      reactivate: false,
    });
    expect(adopt!.changes.map((c) => c.field)).toEqual([
      'registrationNumber',
      'jobTitle',
      'department',
      'workStartDate',
      'customFields.costCenter',
    ]);
  });

  it('adopts by registration number when no email matches, updating the email', () => {
    const existing = manualUser('m1', { email: 'old@example.test', registrationNumber: 'M1' });
    const plan = computeSyncPlan([employee(1)], [existing], OPTIONS);
    const [adopt] = ofKind(plan, 'adopt');
    expect(adopt).toMatchObject({ matchedBy: 'registrationNumber', elevoId: 'm1' });
    expect(adopt!.changes).toContainEqual({ field: 'email', before: 'old@example.test', after: 'user1@example.test' });
  });

  it('adopting a suspended Elevo user for an active employee reactivates it', () => {
    const plan = computeSyncPlan([employee(1)], [manualUser('m1', { email: 'user1@example.test', status: 'suspended' })], OPTIONS);
    expect(ofKind(plan, 'adopt')[0]).toMatchObject({ reactivate: true });
  });

  it('email matching one user and registration number another is an adoption conflict', () => {
    const plan = computeSyncPlan(
      [employee(1)],
      [manualUser('a', { email: 'user1@example.test' }), manualUser('b', { registrationNumber: 'M1' })],
      OPTIONS,
    );
    expect(plan.actions).toEqual([
      {
        kind: 'skip',
        reason: 'adoption-conflict',
        luccaId: 1,
        elevoId: 'a',
        detail: 'email-and-registration-number-match-different-users',
      },
    ]);
  });

  it('an email already linked to another employee is an adoption conflict, never a duplicate', () => {
    const plan = computeSyncPlan(
      [employee(1), employee(2, { email: 'user1@example.test', contractStart: '2025-01-01' })].slice(1),
      [syncedUser(1)],
      OPTIONS,
    );
    expect(forId(plan, 2)).toEqual([
      { kind: 'skip', reason: 'adoption-conflict', luccaId: 2, elevoId: 'ev-1', detail: 'email-linked-to-another-employee' },
    ]);
    expect(plan.counts.create).toBe(0);
  });

  it('two employees claiming the same Elevo user are both conflicts', () => {
    const source = [employee(1), employee(2, { employeeNumber: 'X' })];
    const target = [manualUser('m', { email: 'user1@example.test', registrationNumber: 'X' })];
    const plan = computeSyncPlan(source, target, OPTIONS);
    expect(plan.actions.map((a) => [a.luccaId, a.kind, a.reason])).toEqual([
      [1, 'skip', 'adoption-conflict'],
      [2, 'skip', 'adoption-conflict'],
    ]);
  });
});

describe('computeSyncPlan — bad records', () => {
  it('two Lucca employees sharing an email are both skipped, none guessed', () => {
    const plan = computeSyncPlan(
      [employee(1, { email: 'same@example.test' }), employee(2, { email: 'SAME@example.test' }), employee(3)],
      [],
      OPTIONS,
    );
    expect(plan.actions.filter((a) => a.kind === 'skip')).toEqual([
      { kind: 'skip', reason: 'duplicate-email', luccaId: 1 },
      { kind: 'skip', reason: 'duplicate-email', luccaId: 2 },
    ]);
    expect(plan.counts.create).toBe(1);
  });

  it('a former employee sharing an email with a current one is not a duplicate', () => {
    const plan = computeSyncPlan(
      [employee(1, { email: 'same@example.test', contractEnd: '2020-12-31' }), employee(2, { email: 'same@example.test' })],
      [],
      OPTIONS,
    );
    expect(plan.actions.map((a) => [a.luccaId, a.kind])).toEqual([[2, 'create']]);
  });

  it('invalid records become one skip each with a data-free detail, and never suspend a synced user', () => {
    const source = [
      employee(1, { lastName: '  ' }),
      employee(2, { firstName: null }),
      employee(3, { email: 'not-an-email' }),
      employee(4, { email: null }),
      employee(5, { contractStart: '01/02/2020' }),
    ];
    const plan = computeSyncPlan(source, [syncedUser(1)], OPTIONS);
    expect(plan.actions).toEqual([
      { kind: 'skip', reason: 'invalid-record', luccaId: 1, elevoId: 'ev-1', detail: 'missing-last-name' },
      { kind: 'skip', reason: 'invalid-record', luccaId: 2, detail: 'missing-first-name' },
      { kind: 'skip', reason: 'invalid-record', luccaId: 3, detail: 'malformed-email' },
      { kind: 'skip', reason: 'missing-email', luccaId: 4, detail: 'missing-email' },
      { kind: 'skip', reason: 'invalid-record', luccaId: 5, detail: 'malformed-contract-start' },
    ]);
    expect(JSON.stringify(plan)).not.toContain('not-an-email');
  });

  it('summarizePlan counts per kind and per reason', () => {
    const source = [employee(1), employee(2, { excluded: true }), employee(3, { email: null }), employee(4, { contractEnd: '2025-01-01' })];
    const target = [syncedUser(4), syncedUser(5), manualUser('m')];
    const summary = summarizePlan(computeSyncPlan(source, target, OPTIONS));
    expect(summary.byKind).toEqual({
      create: 1,
      update: 0,
      adopt: 0,
      suspend: 2,
      reactivate: 0,
      release: 0,
      skip: 2,
      noop: 0,
      unmanaged: 1,
    });
    expect(summary.byReason).toEqual({
      create: { 'new-employee': 1 },
      suspend: { 'contract-ended': 1, 'gone-from-source': 1 },
      skip: { excluded: 1, 'missing-email': 1 },
    });
    expect(summary.writes).toBe(3);
  });
});
