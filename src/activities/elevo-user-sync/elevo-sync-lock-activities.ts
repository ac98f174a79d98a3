import { getClient } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { elevoSyncLockWorkflowId } from '../../connectors/elevo-user-sync/contract';

/** Who holds a tenant's Elevo sync lock (workflows cannot describe other workflows themselves). */
export function createElevoSyncLockActivities() {
  return {
    /** The workflow id of the sync holding the lock, or undefined when it is free (or closing). */
    async elevoSyncLockHolder(input: { tenantId: string }): Promise<{ holder?: string }> {
      try {
        const description = await getClient().workflow.getHandle(elevoSyncLockWorkflowId(input.tenantId)).describe();
        if (description.status.name !== 'RUNNING') return {};
        return description.parentExecution?.workflowId ? { holder: description.parentExecution.workflowId } : {};
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return {};
        throw err;
      }
    },
  };
}
