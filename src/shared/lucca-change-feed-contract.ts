import { defineSignal } from '@temporalio/workflow';

/**
 * The seam between change *detection* (Lucca v3 `modifiedAt` polling, or the newer Lucca API's
 * webhooks and events feed) and change *application* (a targeted Elevo sync, an early screening
 * intake). One long-lived workflow per tenant and connector receives the employees that changed.
 */
export const LUCCA_CHANGE_FEED = 'luccaChangeFeed';

/** Workflow id of a tenant × connector change feed: no personal data, stable across releases. */
export function luccaChangeFeedWorkflowId(tenantId: string, connector: string): string {
  return `lucca-change-feed/${tenantId}/${connector}`;
}

export type ChangeSource = 'poll' | 'webhook' | 'events-feed';

export interface EmployeesChanged {
  /** Lucca user ids whose data may have changed (events can be stale: re-read before acting). */
  employeeIds: number[];
  source: ChangeSource;
  /** Provider event ids (webhooks / events feed), used to deduplicate; empty for polling. */
  eventIds: string[];
  /** When the change was observed at Lucca (ISO 8601 UTC), the base of the freshness lag. */
  observedAt: string;
}

/** Sent by the webhook receiver or the events-feed sweep; the handler validates and drops bad input. */
export const employeesChangedSignal = defineSignal<[EmployeesChanged]>('employeesChanged');
