import type { LuccaUser, LuccaUserChange } from '../lucca/lucca-tenant-store';

/**
 * An employee change in the v3 store, as a newer-API event (`employee.created|updated|deleted`).
 * `data` is a reduced employee representation right after the change (or before a deletion); the
 * v5 field names follow the documented employee example (givenName, familyName, email, …).
 */
export function employeeEvent(
  change: LuccaUserChange,
  source: string,
): { topic: string; data: Record<string, unknown>; previousAttributes?: Record<string, unknown> } {
  const data = employeeRepresentation(change.user, source);
  if (change.kind !== 'updated') return { topic: `employee.${change.kind}`, data };
  return { topic: 'employee.updated', data, previousAttributes: previousAttributes(change.previous ?? {}) };
}

function employeeRepresentation(user: LuccaUser, source: string): Record<string, unknown> {
  return {
    id: String(user.id),
    type: 'employee',
    url: `${source}/lucca-api/employees/${user.id}`,
    givenName: user.firstName,
    familyName: user.lastName,
    employeeNumber: user.employeeNumber,
    email: user.mail,
  };
}

const V5_NAMES: Partial<Record<keyof LuccaUser, string>> = {
  firstName: 'givenName',
  lastName: 'familyName',
  mail: 'email',
  employeeNumber: 'employeeNumber',
};

function previousAttributes(previous: Partial<LuccaUser>): Record<string, unknown> {
  const entries = Object.entries(previous).flatMap(([key, value]) => {
    const name = V5_NAMES[key as keyof LuccaUser];
    return name ? [[name, value] as const] : [];
  });
  return Object.fromEntries(entries);
}
