import type { TenantDirectory } from '../config/tenant-directory';
import { createLuccaConnectionActivities } from './lucca-connection-activities';

export interface ActivityDependencies {
  tenants: TenantDirectory;
}

/** Every activity of the worker, built from its dependencies (tests pass sandbox-backed ones). */
export function createActivities(deps: ActivityDependencies) {
  return {
    ...createLuccaConnectionActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
