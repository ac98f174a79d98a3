import type { TenantDirectory } from '../config/tenant-directory';
import type { ArtifactStore } from '../storage/artifact-store';
import { createElevoUserSyncActivities } from './elevo-user-sync-activities';
import { createLuccaConnectionActivities } from './lucca-connection-activities';
import { createNotificationActivities } from './notification-activities';
import { createScreeningActivities } from './screening-activities';

export interface ActivityDependencies {
  tenants: TenantDirectory;
  /** Claim-check store for populations, plans and reports (never in workflow history). */
  artifacts: ArtifactStore;
  /** Clock for "today" in tenant time zones; tests pin it. */
  now?: () => Date;
}

/** Every activity of the worker, built from its dependencies (tests pass sandbox-backed ones). */
export function createActivities(deps: ActivityDependencies) {
  return {
    ...createLuccaConnectionActivities(deps),
    ...createElevoUserSyncActivities(deps),
    ...createScreeningActivities(deps),
    ...createNotificationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
