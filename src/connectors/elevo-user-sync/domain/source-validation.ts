import { emailKey, normalizeDate, normalizeText } from './attribute-mapping';
import type { SkipReason, SourceEmployee } from './sync-model';

// Deliberately permissive (one @, a dot in the domain, no spaces): Elevo is the judge of finer rules.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Elevo's contract caps emails at 254 characters (RFC 5321); longer ones would fail at write time. */
const MAX_EMAIL_LENGTH = 254;

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
  if (!EMAIL.test(email) || email.length > MAX_EMAIL_LENGTH) return { reason: 'invalid-record', detail: 'malformed-email' };
  const start = normalizeDate(employee.contractStart);
  if (start !== null && !isPlausibleDate(start)) return { reason: 'invalid-record', detail: 'malformed-contract-start' };
  const end = normalizeDate(employee.contractEnd);
  if (end !== null && !isPlausibleDate(end)) return { reason: 'invalid-record', detail: 'malformed-contract-end' };
  return null;
}

/**
 * A real calendar day in a plausible range: "2026-13-45" or "0001-01-01" would otherwise compare
 * lexically as a far-future start or an ancient end and silently decide who is employed.
 */
function isPlausibleDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1900 || year > 2199) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export type EmploymentState = 'active' | 'not-yet-started' | 'ended';

/**
 * Employment on `today` (YYYY-MM-DD strings compare lexically), following Lucca's own split: a
 * contract end in the past means former, whatever the start date (a rehire gets a new start *and*
 * no end in Lucca). No start date counts as started; the end date is the last worked day.
 * Dates are validated first (validateSourceEmployee), so lexical comparison is safe.
 */
export function employmentState(employee: SourceEmployee, today: string): EmploymentState {
  const start = normalizeDate(employee.contractStart);
  const end = normalizeDate(employee.contractEnd);
  if (end !== null && end < today) return 'ended';
  if (start !== null && start > today) return 'not-yet-started';
  return 'active';
}

/** The contract ends before it starts: Lucca lists the person as former; the record is reported. */
export function hasContradictoryContract(employee: SourceEmployee): boolean {
  const start = normalizeDate(employee.contractStart);
  const end = normalizeDate(employee.contractEnd);
  return start !== null && end !== null && end < start;
}
