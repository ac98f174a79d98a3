import type { ExtendedValue, LuccaRawUser } from './lucca-schemas';

/**
 * Lucca answers with documented casing variants (`managerId` / `managerID`, `cultureID`) and accepts
 * field names in any case. We normalise every key to one canonical spelling once, at the edge.
 */
const CANONICAL_NAMES = [
  'id',
  'name',
  'url',
  'firstName',
  'lastName',
  'displayName',
  'mail',
  'personalEmail',
  'login',
  'employeeNumber',
  'jobTitle',
  'managerId',
  'manager',
  'departmentId',
  'department',
  'legalEntityId',
  'legalEntity',
  'dtContractStart',
  'dtContractEnd',
  'birthDate',
  'civilTitle',
  'gender',
  'cultureId',
  'culture',
  'directLine',
  'professionalMobile',
  'personalMobile',
  'modifiedAt',
  'extendedData',
  'rolePrincipal',
  'seniorityDate',
  'nationalityId',
];
const CANONICAL = new Map(CANONICAL_NAMES.map((n) => [n.toLowerCase(), n]));

export type CanonicalUser = Record<string, unknown> & { id?: number; extendedData?: Record<string, ExtendedValue | ExtendedValue[]> };

export function canonicalizeUser(raw: LuccaRawUser): CanonicalUser {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const lower = key.toLowerCase();
    if (lower === 'extendeddata' && value && typeof value === 'object') {
      // e_ codes keep their case but are matched case-insensitively through readExtendedData.
      out.extendedData = value;
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      out[CANONICAL.get(lower) ?? key] = canonicalizeNested(value as Record<string, unknown>);
    } else {
      out[CANONICAL.get(lower) ?? key] = value;
    }
  }
  // `manager[id]` and `managerId` are two views of one fact: fill whichever is missing.
  for (const ref of ['manager', 'department', 'legalEntity', 'culture'] as const) {
    const nested = out[ref] as { id?: unknown } | null | undefined;
    const idKey = `${ref}Id`;
    if (out[idKey] === undefined && nested && typeof nested === 'object' && nested.id !== undefined) out[idKey] = nested.id;
    if (out[idKey] === undefined && nested === null) out[idKey] = null;
  }
  return out;
}

function canonicalizeNested(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) out[CANONICAL.get(key.toLowerCase()) ?? key] = value;
  return out;
}

/** Reads a dot path (`department.name`, `extendedData.e_code`) from a canonical user. */
export function readFieldPath(user: CanonicalUser, path: string): unknown {
  let current: unknown = user;
  for (const part of path.split('.')) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    const record = current as Record<string, unknown>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === part.toLowerCase());
    current = key === undefined ? undefined : record[key];
  }
  return current;
}

/** Extended data of one code, matched case-insensitively; undefined when absent or not readable. */
export function readExtendedData(user: CanonicalUser, code: string): ExtendedValue | ExtendedValue[] | undefined {
  const data = user.extendedData;
  if (!data) return undefined;
  const key = Object.keys(data).find((k) => k.toLowerCase() === code.toLowerCase());
  return key === undefined ? undefined : data[key];
}

/** Naive Lucca date-time (`2014-09-01T00:00:00`) → `2014-09-01`; null for anything unusable. */
export function toIsoDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  // Lucca documents naive dates, read as Paris days; should one carry an offset (L9), it is an instant: its Paris day.
  if (WITH_OFFSET.test(text) && !Number.isNaN(Date.parse(text))) return parisDayFormat.format(new Date(text));
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(text);
  return m ? m[1]! : null;
}

const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})$/i;
/** `en-CA` formats as YYYY-MM-DD. */
const parisDayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

export function toNullableString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

export function toNullableInt(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
  return null;
}
