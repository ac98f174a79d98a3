import { emailKey, normalizeDate, normalizeText } from './attribute-mapping';
import type { SkipReason, SourceEmployee } from './sync-model';

// Deliberately permissive (one @, a dot in the domain, no spaces): Elevo is the judge of finer rules.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface RecordProblem {
  reason: Extract<SkipReason, 'invalid-record' | 'missing-email'>;
  /** Data-free: names the rule, never the value. */
  detail: string;
}

/** Why this record cannot be synced, or null when it can. Exclusion is checked before, by the caller. */
export function validateSourceEmployee(employee: SourceEmployee): RecordProblem | null {
  if (!normalizeText(employee.firstName)?.trim()) return { reason: 'invalid-record', detail: 'missing-first-name' };
  if (!normalizeText(employee.lastName)?.trim()) return { reason: 'invalid-record', detail: 'missing-last-name' };
  const email = emailKey(employee.email);
  if (!email) return { reason: 'missing-email', detail: 'missing-email' };
  if (!EMAIL.test(email)) return { reason: 'invalid-record', detail: 'malformed-email' };
  const start = normalizeDate(employee.contractStart);
  if (start !== null && !DATE.test(start)) return { reason: 'invalid-record', detail: 'malformed-contract-start' };
  const end = normalizeDate(employee.contractEnd);
  if (end !== null && !DATE.test(end)) return { reason: 'invalid-record', detail: 'malformed-contract-end' };
  return null;
}

export type EmploymentState = 'active' | 'not-yet-started' | 'ended';

/**
 * Employment on `today` (YYYY-MM-DD strings compare lexically). No start date counts as started;
 * the contract end date is the last worked day, so the employee is still active on it.
 * Dates are validated first (validateSourceEmployee), so lexical comparison is safe.
 */
export function employmentState(employee: SourceEmployee, today: string): EmploymentState {
  const start = normalizeDate(employee.contractStart);
  let end = normalizeDate(employee.contractEnd);
  // An end before the start belongs to an earlier contract (rehire): the current contract has no end yet.
  if (end !== null && start !== null && end < start) end = null;
  if (end !== null && end < today) return 'ended';
  if (start !== null && start > today) return 'not-yet-started';
  return 'active';
}
