import type { TenantDirectory } from '../config/tenant-directory';
import type { ArtifactStore } from '../storage/artifact-store';

/** What every activity factory is built from (tests pass sandbox-backed ones). */
export interface ActivityDependencies {
  tenants: TenantDirectory;
  /** Claim-check store for populations, plans and reports (never in workflow history). */
  artifacts: ArtifactStore;
  /** Clock for "today" in tenant time zones; tests pin it. */
  now?: () => Date;
}
