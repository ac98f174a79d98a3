import { setWorkflowOptions, workflowInfo } from '@temporalio/workflow';
import type { VersioningBehavior } from '@temporalio/common';

/**
 * Declares how a workflow type behaves across releases under Worker Deployment Versioning (README,
 * "Changing a workflow safely"). Only sent by a versioned worker: an unversioned one (local runs,
 * tests) is refused by the server when a behaviour is set.
 */
export function declareVersioningBehavior<A extends unknown[], R>(
  behavior: VersioningBehavior,
  workflow: (...args: A) => Promise<R>,
): void {
  // An unversioned worker still reports a build id (its bundle checksum), but no deployment name.
  setWorkflowOptions(() => (workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior: behavior } : {}), workflow);
}
