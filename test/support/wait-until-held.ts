import type { WorkflowHandle } from '@temporalio/client';
import { elevoSyncProgressQuery, type ElevoSyncProgress } from '../../src/connectors/elevo-user-sync/contract';
import { waitFor } from './wait-for';

/** Waits until an Elevo sync holds for approval (its safety check stopped it) and returns its progress then. */
export function waitUntilHeld(handle: WorkflowHandle, timeoutMs = 60_000): Promise<ElevoSyncProgress> {
  return waitFor(
    `${handle.workflowId} held`,
    async () => {
      const progress = await handle.query(elevoSyncProgressQuery);
      return progress.status === 'held' ? progress : undefined;
    },
    timeoutMs,
  );
}
