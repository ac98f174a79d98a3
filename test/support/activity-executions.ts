import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

/** One activity of a workflow run as its history records it: the attempt that ended it and who ran it. */
export interface ActivityExecution {
  runId: string;
  activityId: string;
  activityType: string;
  /** The worker identity of the last attempt (`<pid>@<host>` by default). */
  identity: string;
  attempt: number;
  /** Message of the failure that made the previous attempt retry, if any (decrypted). */
  previousFailure?: string;
  outcome: 'completed' | 'failed' | 'timed-out' | 'cancelled' | 'running';
}

/**
 * Every activity of a workflow, across its continue-as-new chain (walked back from the latest
 * run through `continuedExecutionRunId`, so nothing depends on visibility). Failure messages are
 * sealed by the failure converter: `codec` opens them.
 */
export async function activityExecutions(client: Client, workflowId: string, codec: PayloadCodec): Promise<ActivityExecution[]> {
  const executions: ActivityExecution[] = [];
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    executions.unshift(...(await activitiesOf(runId, history.events ?? [], codec)));
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return executions;
}

async function activitiesOf(
  runId: string,
  events: temporal.api.history.v1.IHistoryEvent[],
  codec: PayloadCodec,
): Promise<ActivityExecution[]> {
  const byScheduled = new Map<string, ActivityExecution>();
  for (const event of events) {
    const id = String(event.eventId);
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled)
      byScheduled.set(id, {
        runId,
        activityId: scheduled.activityId ?? '',
        activityType: scheduled.activityType?.name ?? '',
        identity: '',
        attempt: 0,
        outcome: 'running',
      });
    const started = event.activityTaskStartedEventAttributes;
    const execution = (ref: unknown) => byScheduled.get(String(ref));
    if (started) {
      const e = execution(started.scheduledEventId);
      if (e)
        Object.assign(e, {
          identity: started.identity ?? '',
          attempt: started.attempt ?? 1,
          previousFailure: started.lastFailure ? await failureMessage(started.lastFailure, codec) : undefined,
        });
    }
    const ended: Array<[unknown, ActivityExecution['outcome']]> = [
      [event.activityTaskCompletedEventAttributes?.scheduledEventId, 'completed'],
      [event.activityTaskFailedEventAttributes?.scheduledEventId, 'failed'],
      [event.activityTaskTimedOutEventAttributes?.scheduledEventId, 'timed-out'],
      [event.activityTaskCanceledEventAttributes?.scheduledEventId, 'cancelled'],
    ];
    for (const [ref, outcome] of ended) {
      const e = ref ? execution(ref) : undefined;
      if (e) e.outcome = outcome;
    }
  }
  return [...byScheduled.values()];
}

/** The failure converter seals message and stack in `encodedAttributes`; the codec opens them. */
export async function failureMessage(failure: temporal.api.failure.v1.IFailure, codec: PayloadCodec): Promise<string> {
  if (!failure.encodedAttributes) return failure.message ?? '';
  const [plain] = await codec.decode([failure.encodedAttributes]);
  const attributes = JSON.parse(Buffer.from(plain!.data ?? new Uint8Array()).toString('utf8')) as { message?: string };
  return attributes.message ?? '';
}
