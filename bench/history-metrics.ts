import type { Client, WorkflowHandle } from '@temporalio/client';

export interface HistoryMetrics {
  /** Runs in the continue-as-new chain. */
  runs: number;
  eventsPerRun: number[];
  totalEvents: number;
  maxEventsPerRun: number;
  /** Largest single payload (data + metadata bytes, as stored: sealed by the codec). */
  largestPayloadBytes: number;
  /** The event attributes that carried it, e.g. `activityTaskCompletedEventAttributes`. */
  largestPayloadIn: string;
  /** Sum of all payload bytes of the largest run. */
  largestRunPayloadBytes: number;
  /** Where the time went, from event times: activity execution per activity type (started → completed). */
  activityExecutionMs: Record<string, number>;
  /** Activities waiting for a worker slot (scheduled → started). */
  activityQueueMs: number;
  /** First event of the first run → last event of the last run. */
  workflowMs: number;
}

type LongLike = number | { toString(): string } | null | undefined;
const num = (value: LongLike) => (value === null || value === undefined ? 0 : Number(value.toString()));
const millis = (t: { seconds?: LongLike; nanos?: number | null } | null | undefined) =>
  t ? num(t.seconds) * 1000 + (t.nanos ?? 0) / 1e6 : 0;

interface PayloadLike {
  data?: Uint8Array | null;
  metadata?: Record<string, Uint8Array> | null;
}

function isPayload(value: object): value is PayloadLike {
  return 'data' in value && (value as PayloadLike).data instanceof Uint8Array && 'metadata' in value;
}

export function payloadBytes(payload: PayloadLike): number {
  let size = payload.data?.length ?? 0;
  for (const [key, value] of Object.entries(payload.metadata ?? {})) size += key.length + (value?.length ?? 0);
  return size;
}

/** Every payload inside one history event (inputs, results, failures' details, memo, search attributes). */
export function payloadSizesIn(event: object): Array<{ bytes: number; where: string }> {
  const found: Array<{ bytes: number; where: string }> = [];
  const attributesKey = Object.keys(event).find((k) => k.endsWith('EventAttributes') && (event as Record<string, unknown>)[k]) ?? 'event';
  const visit = (value: unknown, depth: number) => {
    if (value === null || typeof value !== 'object' || depth > 40 || value instanceof Uint8Array) return;
    if (isPayload(value)) {
      found.push({ bytes: payloadBytes(value), where: attributesKey });
      return;
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) visit(child, depth + 1);
  };
  visit(event, 0);
  return found;
}

/** Follows a workflow through its continue-as-new runs and measures each run's history. */
export async function historyMetrics(client: Client, workflowId: string, firstRunId: string): Promise<HistoryMetrics> {
  const metrics: HistoryMetrics = {
    runs: 0,
    eventsPerRun: [],
    totalEvents: 0,
    maxEventsPerRun: 0,
    largestPayloadBytes: 0,
    largestPayloadIn: '-',
    largestRunPayloadBytes: 0,
    activityExecutionMs: {},
    activityQueueMs: 0,
    workflowMs: 0,
  };
  let firstEventMs: number | undefined;
  let lastEventMs = 0;
  let runId: string | undefined = firstRunId;
  while (runId) {
    const handle: WorkflowHandle = client.workflow.getHandle(workflowId, runId);
    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    metrics.runs++;
    metrics.eventsPerRun.push(events.length);
    metrics.totalEvents += events.length;
    metrics.maxEventsPerRun = Math.max(metrics.maxEventsPerRun, events.length);
    let runBytes = 0;
    runId = undefined;
    const byId = new Map<number, (typeof events)[number]>();
    for (const event of events) {
      byId.set(num(event.eventId), event);
      firstEventMs ??= millis(event.eventTime);
      lastEventMs = Math.max(lastEventMs, millis(event.eventTime));
      const completed = event.activityTaskCompletedEventAttributes;
      if (completed) {
        const scheduled = byId.get(num(completed.scheduledEventId));
        const started = byId.get(num(completed.startedEventId));
        const type = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? 'activity';
        metrics.activityExecutionMs[type] = (metrics.activityExecutionMs[type] ?? 0) + millis(event.eventTime) - millis(started?.eventTime);
        metrics.activityQueueMs += millis(started?.eventTime) - millis(scheduled?.eventTime);
      }
      for (const { bytes, where } of payloadSizesIn(event)) {
        runBytes += bytes;
        if (bytes > metrics.largestPayloadBytes) {
          metrics.largestPayloadBytes = bytes;
          metrics.largestPayloadIn = where;
        }
      }
      const next: string | null | undefined = event.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      if (next) runId = next;
    }
    metrics.largestRunPayloadBytes = Math.max(metrics.largestRunPayloadBytes, runBytes);
  }
  metrics.workflowMs = lastEventMs - (firstEventMs ?? lastEventMs);
  return metrics;
}
