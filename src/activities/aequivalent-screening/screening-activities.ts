import type { ActivityDependencies } from '../activity-dependencies';
import { createScreeningIntakeActivities } from './screening-intake-activities';
import { createScreeningOrderActivities } from './screening-order-activities';

/** Every activity of the Aequivalent screening connector (intake + order lifecycle). */
export function createScreeningActivities(deps: ActivityDependencies) {
  return {
    ...createScreeningIntakeActivities(deps),
    ...createScreeningOrderActivities(deps),
  };
}
