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
}

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
  const metrics: HistoryMetrics = { runs: 0, eventsPerRun: [], totalEvents: 0, maxEventsPerRun: 0, largestPayloadBytes: 0, largestPayloadIn: '-', largestRunPayloadBytes: 0 };
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
    for (const event of events) {
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
  return metrics;
}
