import type { Connection } from '@temporalio/client';
import { waitFor } from './wait-for';

/**
 * What a release does once its new workers are up (`temporal worker deployment set-current-version`).
 * The version exists only once one of its workers has polled: retry until then.
 */
export async function setCurrentWorkerVersion(
  temporal: Pick<Connection, 'workflowService'>,
  version: { deploymentName: string; buildId: string; identity: string },
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    `current version ${version.buildId}`,
    async () => {
      try {
        await temporal.workflowService.setWorkerDeploymentCurrentVersion({ namespace: 'default', ...version });
        return true;
      } catch {
        return undefined;
      }
    },
    timeoutMs,
  );
}
