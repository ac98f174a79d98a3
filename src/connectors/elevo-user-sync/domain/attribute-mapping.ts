import type { ElevoSyncedAttributes, FieldChange, SourceEmployee, SyncedField, TargetUser } from './sync-model';

/** The fixed attributes the sync owns; custom fields are added per tenant as `customFields.<key>`. */
export const BASE_SYNCED_FIELDS = [
  'email',
  'registrationNumber',
  'firstName',
  'lastName',
  'jobTitle',
  'managerExternalId',
  'department',
  'workStartDate',
] as const;

/** Attribute names the sync locks in Elevo (what an Elevo admin may no longer edit). */
export function lockedAttributeNames(extraFieldKeys: readonly string[]): string[] {
  return [...BASE_SYNCED_FIELDS, ...[...extraFieldKeys].sort().map((k) => `customFields.${k}`)];
}

/** Trailing whitespace is noise and ''/null mean "no value" on both sides. */
export function normalizeText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.replace(/\s+$/u, '');
  return trimmed === '' ? null : trimmed;
}

export function normalizeEmail(value: string | null | undefined): string | null {
  const v = normalizeText(value)?.trim();
  return v ? v : null;
}

export function emailKey(value: string | null | undefined): string | null {
  return normalizeEmail(value)?.toLowerCase() ?? null;
}

/** Lucca sometimes gives `2014-09-01T00:00:00`: keep the date part. */
export function normalizeDate(value: string | null | undefined): string | null {
  const v = normalizeText(value)?.trim();
  if (!v) return null;
  return /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : v;
}

/** Lucca -> Elevo attribute mapping, with the manager already resolved by the caller. */
export function desiredAttributes(
  source: SourceEmployee,
  managerExternalId: string | null,
  extraFieldKeys: readonly string[],
): ElevoSyncedAttributes {
  const customFields: Record<string, string | null> = {};
  for (const key of extraFieldKeys) customFields[key] = normalizeText(source.extraFields[key]);
  return {
    email: normalizeEmail(source.email) ?? '',
    registrationNumber: normalizeText(source.employeeNumber),
    firstName: normalizeText(source.firstName),
    lastName: normalizeText(source.lastName),
    jobTitle: normalizeText(source.jobTitle),
    managerExternalId,
    department: normalizeText(source.department),
    workStartDate: normalizeDate(source.contractStart),
    customFields,
  };
}

function sameValue(field: SyncedField, a: string | null, b: string | null): boolean {
  if (field === 'email') return emailKey(a) === emailKey(b);
  return normalizeText(a) === normalizeText(b);
}

/** Field-level differences, in a stable order (base fields, then custom fields by key). */
export function diffAttributes(target: TargetUser, desired: ElevoSyncedAttributes, extraFieldKeys: readonly string[]): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of BASE_SYNCED_FIELDS) {
    const before = target[field];
    const after = desired[field];
    if (!sameValue(field, before, after)) changes.push({ field, before, after });
  }
  for (const key of [...extraFieldKeys].sort()) {
    const field: SyncedField = `customFields.${key}`;
    const before = target.customFields[key] ?? null;
    const after = desired.customFields[key] ?? null;
    if (!sameValue(field, before, after)) changes.push({ field, before, after });
  }
  return changes;
}

/** Whether the target's lock list is exactly the one this tenant's sync should set. */
export function sameLock(current: readonly string[], expected: readonly string[]): boolean {
  if (current.length !== expected.length) return false;
  const set = new Set(current);
  return expected.every((a) => set.has(a));
}

/** The PATCH body (Elevo API shape) for a list of field changes. */
export function changesToPatch(changes: readonly FieldChange[]): Partial<ElevoSyncedAttributes> {
  const patch: Record<string, unknown> = {};
  const customFields: Record<string, string | null> = {};
  for (const change of changes) {
    if (change.field.startsWith('customFields.')) customFields[change.field.slice('customFields.'.length)] = change.after;
    else patch[change.field] = change.after;
  }
  if (Object.keys(customFields).length > 0) patch.customFields = customFields;
  return patch;
}
