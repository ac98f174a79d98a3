import type { ElevoUser } from '../../../src/connectors/elevo-user-sync/elevo/schemas';
import { type LuccaTenantStore, type LuccaUser } from '../../../dev/simulators/lucca';
import type { RecordFixture } from './bad-input-fixtures';
import { isExcludedFromElevo } from '../../support/excluded-from-elevo';

/** The Lucca users a record fixture was applied to. */
export interface AppliedFixture {
  fixture: RecordFixture;
  subjectId: number;
  peerId?: number;
}

/**
 * Applies record fixtures to one Lucca tenant after a first sync, each to its own employees:
 * new hires are added, synced employees are taken from a pool of leaves (nobody reports to them).
 * Values are written raw on the stored record, bypassing the store's normalisation, so wrong types
 * and impossible dates reach the wire exactly as the fixture says.
 */
export function applyRecordFixtures(store: LuccaTenantStore, elevoUsers: ElevoUser[], fixtures: RecordFixture[]): AppliedFixture[] {
  const today = store.today();
  const users = [...store.users.values()].sort((a, b) => a.id - b.id);
  const excluded = (id: number) => isExcludedFromElevo(store, id);
  const managers = new Set(users.map((u) => u.managerId).filter((m): m is number => m !== null));
  const linked = new Map(elevoUsers.filter((u) => u.externalId && u.status === 'active').map((u) => [Number(u.externalId), u]));
  const current = users.filter((u) => store.statusOf(u, today) === 'current' && !excluded(u.id));
  const leaves = current.filter((u) => !managers.has(u.id) && linked.has(u.id));
  const defaultManager = current.find((u) => managers.has(u.id) && linked.has(u.id))!;
  const former = users.find((u) => store.statusOf(u, today) === 'former')!;
  const excludedOne = users.find((u) => store.statusOf(u, today) === 'current' && excluded(u.id))!;
  let hires = 0;
  const take = (role: string): LuccaUser => {
    if (role === 'synced') {
      const next = leaves.shift();
      if (!next) throw new Error('not enough synced employees for the fixtures');
      return next;
    }
    if (role === 'former') return former;
    if (role === 'excluded') return excludedOne;
    hires += 1;
    return store.addUser({
      firstName: 'Test',
      lastName: `Fixture ${hires}`,
      mail: `fixture.${hires}@acme.example.fr`,
      employeeNumber: `FX${1000 + hires}`,
      jobTitle: 'Testeur',
      managerId: defaultManager.id,
      dtContractStart: '2026-01-05',
      dtContractEnd: null,
    });
  };

  return fixtures.map((fixture) => {
    const subject = take(fixture.subject);
    const peer = fixture.peer ? take(fixture.peer) : undefined;
    const resolveValue = (value: unknown): unknown => {
      if (typeof value !== 'string' || !value.startsWith('$')) return value;
      if (value === '$subject.id') return subject.id;
      if (value === '$peer.id') return peer!.id;
      if (value === '$peer.mail') return peer!.mail;
      if (value === '$peer.mailUpper') return peer!.mail!.toUpperCase();
      if (value === '$peer.employeeNumber') return peer!.employeeNumber;
      const repeat = /^\$repeat:(.*):(\d+)(.*)$/s.exec(value);
      if (repeat)
        return repeat[1]!.repeat(Math.ceil(Number(repeat[2]) / Math.max(1, repeat[1]!.length))).slice(0, Number(repeat[2])) + repeat[3];
      throw new Error(`unknown placeholder ${value} in fixture ${fixture.id}`);
    };
    const write = (user: LuccaUser, patch: Record<string, unknown> | undefined) => {
      for (const [key, value] of Object.entries(patch ?? {})) (user as unknown as Record<string, unknown>)[key] = resolveValue(value);
      store.touchUser(user.id);
    };
    // Peers first: the subject's placeholders read the peer's values as they were generated.
    const peerPatch = fixture.peerSet;
    write(subject, fixture.set);
    if (peer && peerPatch) write(peer, peerPatch);
    if (fixture.extended) store.writeEntry(subject.id, fixture.extended.code, { id: store.newValueId(), value: fixture.extended.value });
    return { fixture, subjectId: subject.id, ...(peer ? { peerId: peer.id } : {}) };
  });
}
