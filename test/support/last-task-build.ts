import type { temporal } from '@temporalio/proto';

/**
 * The build id of the worker that completed the first workflow task after the workflow's last
 * signal (undefined while none has): which release a pinned workflow's work goes to.
 */
export async function lastTaskBuild(handle: { fetchHistory(): Promise<temporal.api.history.v1.IHistory> }): Promise<string | undefined> {
  const events = (await handle.fetchHistory()).events ?? [];
  const signalled = events.map((e) => !!e.workflowExecutionSignaledEventAttributes).lastIndexOf(true);
  const done = events.slice(signalled + 1).find((e) => e.workflowTaskCompletedEventAttributes);
  const attrs = done?.workflowTaskCompletedEventAttributes;
  return attrs?.deploymentVersion?.buildId ?? attrs?.workerVersion?.buildId ?? undefined;
}
