import { emailKey, normalizeText } from './attribute-mapping';
import { employmentState, hasContradictoryContract, validateSourceEmployee } from './source-validation';
import type { PlanOptions, SkipReason, SourceEmployee, SuspendReason, TargetUser } from './sync-model';

/** What happens to one source employee, before managers and diffs are known. */
export type Disposition =
  | { kind: 'skip'; reason: SkipReason; detail?: string; target?: TargetUser }
  | { kind: 'create' }
  | { kind: 'adopt'; target: TargetUser; matchedBy: 'email' | 'registrationNumber' }
  /** Linked, valid, active employee: update, reactivate or noop once diffed. */
  | { kind: 'sync'; target: TargetUser }
  | { kind: 'suspend'; target: TargetUser; reason: SuspendReason }
  | { kind: 'release'; target: TargetUser }
  | { kind: 'noop' }
  | { kind: 'unmanaged' };

/** Elevo users by the keys that link (external id) or may adopt them (email, registration number). */
export interface TargetIndex {
  byExternalId: Map<string, TargetUser>;
  byEmail: Map<string, TargetUser[]>;
  byRegistrationNumber: Map<string, TargetUser[]>;
}

export interface Dispositions {
  byLuccaId: Map<number, Disposition>;
  /** Elevo users linked to an employee of the source. */
  linked: Set<TargetUser>;
  /** Elevo users an employee of the source adopts. */
  adopted: Set<TargetUser>;
}

export const isManaged = (t: TargetUser) => t.lockedAttributes.length > 0 && t.externalId !== null;
const registrationKey = (v: string | null) => normalizeText(v)?.trim() || null;

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function indexTargets(target: readonly TargetUser[]): TargetIndex {
  const index: TargetIndex = { byExternalId: new Map(), byEmail: new Map(), byRegistrationNumber: new Map() };
  for (const t of target) {
    if (t.externalId !== null && !index.byExternalId.has(t.externalId)) index.byExternalId.set(t.externalId, t);
    const email = emailKey(t.email);
    if (email) pushTo(index.byEmail, email, t);
    const registration = registrationKey(t.registrationNumber);
    if (registration) pushTo(index.byRegistrationNumber, registration, t);
  }
  return index;
}

/**
 * Validity, exclusion, employment state and link of each employee, then the two rules that look
 * across employees: a shared email skips all of them, and unlinked Elevo users are adopted.
 */
export function disposeEmployees(employees: readonly SourceEmployee[], index: TargetIndex, options: PlanOptions): Dispositions {
  const byLuccaId = new Map<number, Disposition>();
  const linked = new Set<TargetUser>();
  const candidatesByEmail = new Map<string, number[]>();
  for (const e of employees) {
    const target = index.byExternalId.get(String(e.luccaId));
    if (target) linked.add(target);
    const disposition = disposeEmployee(e, target, options);
    // Current and future employees take part in the duplicate-email check; former ones do not.
    if (
      disposition.kind === 'create' ||
      disposition.kind === 'sync' ||
      (disposition.kind === 'skip' && disposition.reason === 'not-yet-started')
    ) {
      pushTo(candidatesByEmail, emailKey(e.email)!, e.luccaId);
    }
    byLuccaId.set(e.luccaId, disposition);
  }
  skipSharedEmails(byLuccaId, candidatesByEmail);
  const adopted = adoptUnlinkedUsers(employees, byLuccaId, index);
  return { byLuccaId, linked, adopted };
}

function disposeEmployee(e: SourceEmployee, linked: TargetUser | undefined, options: PlanOptions): Disposition {
  if (e.excluded) return excludedDisposition(linked, options);
  const problem = validateSourceEmployee(e);
  if (problem) return { kind: 'skip', reason: problem.reason, detail: problem.detail, target: linked };
  const state = employmentState(e, options.today);
  if (state === 'ended') {
    // Never created; reported so HR can fix the dates if the person still works here.
    if (!linked && hasContradictoryContract(e))
      return { kind: 'skip', reason: 'contradictory-contract', detail: 'contract-ends-before-it-starts' };
    if (!linked || linked.status === 'suspended') return { kind: 'noop' };
    return isManaged(linked) ? { kind: 'suspend', target: linked, reason: 'contract-ended' } : { kind: 'unmanaged' };
  }
  if (state === 'not-yet-started')
    return { kind: 'skip', reason: 'not-yet-started', detail: `starts-on-${e.contractStart}`, target: linked };
  return linked ? { kind: 'sync', target: linked } : { kind: 'create' };
}

function excludedDisposition(linked: TargetUser | undefined, options: PlanOptions): Disposition {
  if (!linked || !isManaged(linked)) return { kind: 'skip', reason: 'excluded', target: linked };
  if (options.exclusionPolicy === 'suspend') {
    return linked.status === 'active' ? { kind: 'suspend', target: linked, reason: 'excluded' } : { kind: 'noop' };
  }
  // Release also applies to a suspended user: admins get it back, its status is left unchanged.
  return { kind: 'release', target: linked };
}

/** Two Lucca employees sharing an email: skip both, guess neither. */
function skipSharedEmails(byLuccaId: Map<number, Disposition>, candidatesByEmail: Map<string, number[]>): void {
  for (const ids of candidatesByEmail.values()) {
    if (ids.length < 2) continue;
    for (const id of ids) {
      const d = byLuccaId.get(id)!;
      byLuccaId.set(id, { kind: 'skip', reason: 'duplicate-email', target: 'target' in d ? d.target : undefined });
    }
  }
}

/** Adoption of unlinked Elevo users: by email, then by registration number; a user claimed twice is nobody's. */
function adoptUnlinkedUsers(
  employees: readonly SourceEmployee[],
  byLuccaId: Map<number, Disposition>,
  index: TargetIndex,
): Set<TargetUser> {
  const claims = new Map<TargetUser, number[]>();
  for (const e of employees) {
    if (byLuccaId.get(e.luccaId)?.kind !== 'create') continue;
    const adoption = adoptionOf(e, index);
    byLuccaId.set(e.luccaId, adoption);
    if (adoption.kind === 'adopt') pushTo(claims, adoption.target, e.luccaId);
  }
  for (const [t, ids] of claims) {
    if (ids.length < 2) continue;
    for (const id of ids)
      byLuccaId.set(id, { kind: 'skip', reason: 'adoption-conflict', detail: 'elevo-user-claimed-by-several-employees', target: t });
  }
  const adopted = new Set<TargetUser>();
  for (const d of byLuccaId.values()) if (d.kind === 'adopt') adopted.add(d.target);
  return adopted;
}

function adoptionOf(e: SourceEmployee, index: TargetIndex): Disposition {
  const emailMatches = index.byEmail.get(emailKey(e.email)!) ?? [];
  const registration = registrationKey(e.employeeNumber);
  const registrationMatches = registration ? (index.byRegistrationNumber.get(registration) ?? []) : [];
  const conflict = (detail: string, target?: TargetUser): Disposition => ({ kind: 'skip', reason: 'adoption-conflict', detail, target });
  if (emailMatches.length > 1) return conflict('email-matches-several-elevo-users');
  const byMail = emailMatches[0];
  if (byMail) {
    if (byMail.externalId !== null) return conflict('email-linked-to-another-employee', byMail);
    if (registrationMatches.some((t) => t !== byMail)) return conflict('email-and-registration-number-match-different-users', byMail);
    return { kind: 'adopt', target: byMail, matchedBy: 'email' };
  }
  if (registrationMatches.length > 1) return conflict('registration-number-matches-several-elevo-users');
  const byRegistration = registrationMatches[0];
  if (!byRegistration) return { kind: 'create' };
  if (byRegistration.externalId !== null) return conflict('registration-number-linked-to-another-employee', byRegistration);
  return { kind: 'adopt', target: byRegistration, matchedBy: 'registrationNumber' };
}
