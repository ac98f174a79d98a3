import type { Client } from '@temporalio/client';
import type { TenantDirectory } from '../../config/tenant-directory';
import type { ArtifactStore } from '../../storage/artifact-store';
import { createScreeningIntakeActivities } from './screening-intake-activities';
import { createScreeningOrderActivities } from './screening-order-activities';

/** Every activity of the Aequivalent screening connector (intake + order lifecycle). */
export function createScreeningActivities(deps: { tenants: TenantDirectory; temporalClient?: Client; artifacts?: ArtifactStore; now?: () => Date }) {
  return {
    ...createScreeningIntakeActivities(deps),
    ...createScreeningOrderActivities(deps),
  };
}
