import { lockedAttributeNames } from '../../../src/connectors/elevo-user-sync/domain/attribute-mapping';
import type { PlanOptions, SourceEmployee, TargetUser } from '../../../src/connectors/elevo-user-sync/domain/sync-model';

export const TODAY = '2025-06-15';
export const EXTRA_KEYS = ['costCenter'];
export const OPTIONS: PlanOptions = { today: TODAY, exclusionPolicy: 'release', extraFieldKeys: EXTRA_KEYS };
export const LOCK = lockedAttributeNames(EXTRA_KEYS);

export function employee(luccaId: number, over: Partial<SourceEmployee> = {}): SourceEmployee {
  return {
    luccaId,
    firstName: `First${luccaId}`,
    lastName: `Last${luccaId}`,
    email: `user${luccaId}@example.test`,
    employeeNumber: `M${luccaId}`,
    jobTitle: 'Engineer',
    managerLuccaId: null,
    department: 'R&D',
    contractStart: '2020-01-01',
    contractEnd: null,
    excluded: false,
    extraFields: { costCenter: 'CC1' },
    ...over,
  };
}

/** The Elevo user a previous sync would have produced for `employee(luccaId, over)`. */
export function syncedUser(luccaId: number, over: Partial<SourceEmployee> = {}, userOver: Partial<TargetUser> = {}): TargetUser {
  const e = employee(luccaId, over);
  return {
    elevoId: `ev-${luccaId}`,
    externalId: String(luccaId),
    email: e.email!,
    registrationNumber: e.employeeNumber,
    firstName: e.firstName,
    lastName: e.lastName,
    jobTitle: e.jobTitle,
    managerExternalId: e.managerLuccaId === null ? null : String(e.managerLuccaId),
    department: e.department,
    workStartDate: e.contractStart,
    customFields: { costCenter: e.extraFields.costCenter ?? null },
    status: 'active',
    lockedAttributes: LOCK,
    ...userOver,
  };
}

/** An Elevo user created by hand in Elevo (never synced). */
export function manualUser(elevoId: string, over: Partial<TargetUser> = {}): TargetUser {
  return {
    elevoId,
    externalId: null,
    email: `${elevoId}@example.test`,
    registrationNumber: null,
    firstName: 'Manual',
    lastName: 'User',
    jobTitle: null,
    managerExternalId: null,
    department: null,
    workStartDate: null,
    customFields: {},
    status: 'active',
    lockedAttributes: [],
    ...over,
  };
}
