import type { LuccaTenantStore } from '../../../dev/simulators/lucca';
import { GENERATED_CODES } from '../../../dev/simulators/lucca';
import { isExcludedFromElevo } from '../../support/excluded-from-elevo';

/**
 * A deterministic day of HR work in Lucca (round n): a rename, a manager move, a hire, a
 * departure, a deletion and an exclusion. Applied to two stores generated from the same seed, it
 * leaves them identical, so two syncs of them must leave Elevo identical too.
 */
export function applyHrChanges(store: LuccaTenantStore, round: number): void {
  const today = store.today();
  const ids = [...store.users.keys()].sort((a, b) => a - b);
  const current = ids.filter((id) => store.statusOf(store.getUser(id)!) === 'current');
  const managers = new Set([...store.users.values()].map((u) => u.managerId).filter((m): m is number => m !== null));
  const leaves = current.filter((id) => !managers.has(id) && !isExcludedFromElevo(store, id));
  const pick = (i: number) => leaves[(round * 7 + i * 3) % leaves.length]!;
  const [renamed, moved, leaver, deleted, excluded] = [pick(0), pick(1), pick(2), pick(3), pick(4)];
  const newManager = current.find((id) => managers.has(id) && id !== store.getUser(moved)!.managerId && id !== moved)!;
  store.updateUser(renamed, { lastName: `Renommé-${round}`, jobTitle: `Poste ${round}` });
  store.updateUser(moved, { managerId: newManager });
  store.addUser({
    firstName: 'Nouvelle',
    lastName: `Recrue-${round}`,
    mail: `recrue.${round}@acme.example.fr`,
    employeeNumber: `R${round}`,
    jobTitle: 'Analyste',
    managerId: newManager,
    dtContractStart: today,
    dtContractEnd: null,
  });
  store.updateUser(leaver, { dtContractEnd: earlier(today) });
  store.deleteUser(deleted);
  store.setExtendedValue(excluded, GENERATED_CODES.skipElevoSync, true);
}

function earlier(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
