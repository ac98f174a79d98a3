import { activityInfo, getClient } from '@temporalio/activity';

/**
 * The client identity Temporal recorded when it accepted an update (the history's
 * `WorkflowExecutionUpdateAccepted` event), read from the run that received it. What a caller writes
 * in the update's arguments is its own claim; this is what the server saw. Undefined when the event
 * cannot be found (history already deleted by retention) — the report then says so.
 */
export async function recordedUpdateIdentity(request: { runId: string; updateId: string }): Promise<string | undefined> {
  const client = getClient();
  const { workflowNamespace: namespace, workflowExecution } = activityInfo();
  if (!workflowExecution) return undefined;
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistory({
      namespace,
      execution: { workflowId: workflowExecution.workflowId, runId: request.runId },
      maximumPageSize: 500,
      nextPageToken,
    });
    for (const event of page.history?.events ?? []) {
      const meta = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta;
      if (meta?.updateId === request.updateId) return meta.identity ?? undefined;
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return undefined;
}
