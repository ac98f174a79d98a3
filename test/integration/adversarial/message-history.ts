import type { WorkflowHandle } from '@temporalio/client';
import { waitFor } from '../../support/wait-for';

/**
 * How a workflow task that handled the last message ended: `completed`, or `failed` (a handler threw:
 * the task is retried, and fails again, for as long as the message is in the history).
 */
export async function outcomeOfLastMessage(handle: WorkflowHandle): Promise<'completed' | 'failed'> {
  return waitFor('the workflow task that handles the message', async () => {
    const events = (await handle.fetchHistory()).events ?? [];
    const lastMessage = events.map((e, i) => (e.workflowExecutionSignaledEventAttributes ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
    const after = events.slice(lastMessage + 1);
    if (after.some((e) => e.workflowTaskFailedEventAttributes)) return 'failed' as const;
    if (after.some((e) => e.workflowTaskCompletedEventAttributes)) return 'completed' as const;
    return undefined;
  });
}

/** Whether an update was ever accepted into the workflow's history (a validator rejects it before). */
export async function acceptedUpdates(handle: WorkflowHandle): Promise<number> {
  const events = (await handle.fetchHistory()).events ?? [];
  return events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
}
