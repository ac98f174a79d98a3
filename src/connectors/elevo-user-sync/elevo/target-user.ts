import type { TargetUser } from '../domain/sync-model';
import type { ElevoUser } from './schemas';

/** The API's user as the sync plan sees it (only the fields the plan compares). */
export function toTargetUser(user: ElevoUser): TargetUser {
  return {
    elevoId: user.id,
    externalId: user.externalId,
    email: user.email,
    registrationNumber: user.registrationNumber,
    firstName: user.firstName,
    lastName: user.lastName,
    jobTitle: user.jobTitle,
    managerExternalId: user.managerExternalId,
    department: user.department,
    workStartDate: user.workStartDate,
    customFields: user.customFields,
    status: user.status,
    lockedAttributes: user.lockedAttributes,
  };
}
