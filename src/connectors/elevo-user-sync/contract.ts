import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { SafetyReason, SafetyThresholds } from './domain/safety-check';
import type { OperatorIdentity } from '../../shared/operator-identity';

/**
 * What the client, the worker and the workflow agree on for `elevoUserSync`. Only counts and opaque
 * ids travel through history; the population, the plan and the report live in the artifact store.
 */
export const ELEVO_USER_SYNC = 'elevoUserSync';
/** The connector's name (CLI, schedules, `LuccaConnector` search attribute, workflow ids). */
export const ELEVO_USER_SYNC_CONNECTOR = 'elevo-user-sync';

export interface ElevoUserSyncInput {
  tenantId: string;
  /** Run date (YYYY-MM-DD, tenant time zone). Default: today when the run starts. */
  runDate?: string;
  /** Compute and report the plan, write nothing. */
  dryRun?: boolean;
  /** How long a held run waits for approve/reject before it is abandoned (default 72 hours). */
  approvalTimeout?: string;
  /**
   * A targeted sync (change feed, `sync-employee`): only these Lucca users, plus their reports when
   * a change affects them; same rules, safety checks, lock and report. Absent: everyone.
   */
  employeeIds?: number[];
}

export type ActionCounts = Record<
  'create' | 'update' | 'adopt' | 'suspend' | 'reactivate' | 'release' | 'skip' | 'noop' | 'unmanaged',
  number
>;

export interface PreparedPlan {
  runKey: string;
  runDate: string;
  counts: ActionCounts;
  /** Current employees seen in Lucca (the base of the population-drop check). */
  sourceCount: number;
  targetCount: number;
  managedActiveCount: number;
  previousSourceCount: number | null;
  writeCount: number;
  batchCount: number;
  luccaRequests: number;
  elevoRequests: number;
  /** The tenant's thresholds, read from the config by the activity (workflows never read config). */
  safety: SafetyThresholds;
  /** `employees`: a targeted run (its counts are about those employees only). Absent: a full run. */
  scope?: 'employees';
  /**
   * A full run: its writes the change feed should already have applied (not caused by the calendar);
   * expected 0 while the feed runs (docs/freshness.md).
   */
  missedByIncremental?: number;
}

export interface BatchOutcome {
  applied: number;
  failed: number;
  elevoRequests: number;
}

export type RunStatus =
  | 'planning'
  | 'held'
  | 'rechecking'
  | 'applying'
  | 'reporting'
  | 'completed'
  | 'dry-run'
  | 'rejected'
  | 'approval-timed-out'
  | 'approval-outdated';

export interface ElevoSyncProgress {
  status: RunStatus;
  runKey?: string;
  plan?: PreparedPlan;
  holdReasons: SafetyReason[];
  batchesDone: number;
  batchesTotal: number;
  applied: number;
  failed: number;
}

/** Who approved or rejected a held run: filled by the CLI from configured identities, never typed per command. */
export interface ApprovalDecision extends OperatorIdentity {
  comment?: string;
}

/** A decision as the run keeps it: where Temporal recorded the request, and the identity it recorded. */
export interface RecordedDecision extends ApprovalDecision {
  approved: boolean;
  /** The update as Temporal holds it in the history (absent in runs decided before it was kept). */
  request?: { runId: string; updateId: string };
  /** The client identity Temporal recorded with the update: filled in by the report activity. */
  temporalIdentity?: string;
}

export interface ElevoSyncResult {
  tenantId: string;
  runKey: string;
  runDate: string;
  /** `approval-outdated`: after approval, Lucca or Elevo had changed so that the fresh plan suspends users nobody approved. */
  status: 'completed' | 'dry-run' | 'rejected' | 'approval-timed-out' | 'approval-outdated';
  planned: ActionCounts;
  applied: number;
  failed: number;
  holdReasons: SafetyReason[];
  decision?: RecordedDecision;
  /** Artifact key of the full report (text, JSON, CSV through the CLI). */
  reportKey: string;
  luccaRequests: number;
  elevoRequests: number;
}

/** What the report activity returns; the workflow adds the Elevo request total. */
export type FinalizedRun = Omit<ElevoSyncResult, 'elevoRequests'>;

export const elevoSyncProgressQuery = defineQuery<ElevoSyncProgress>('progress');
export const approveElevoSyncUpdate = defineUpdate<void, [ApprovalDecision]>('approve');
export const rejectElevoSyncUpdate = defineUpdate<void, [ApprovalDecision]>('reject');

/** Deterministic workflow id: one sync per tenant per date. No personal data. */
export function elevoUserSyncWorkflowId(tenantId: string, runDate: string): string {
  return `${ELEVO_USER_SYNC_CONNECTOR}/${tenantId}/${runDate}`;
}

export const ELEVO_SYNC_TENANT_LOCK = 'elevoSyncTenantLock';

/** One per tenant: the running Elevo sync (not dry runs) holds it as its child; see elevoSyncTenantLock. */
export function elevoSyncLockWorkflowId(tenantId: string): string {
  return `elevo-user-sync-lock/${tenantId}`;
}

/** Who releases the lock: the holding sync's execution (the lock's parent), checked by the lock. */
export interface ReleaseElevoSyncLock {
  holderWorkflowId: string;
  holderRunId: string;
}

/**
 * The holder is done: the lock ends (a holder that dies releases it through its parent-close policy).
 * Only a release naming the lock's parent execution frees it (releases recorded before it carried
 * one had no argument: the lock's replay of those accepts them, see elevoSyncTenantLock).
 */
export const releaseElevoSyncLockSignal = defineSignal<[ReleaseElevoSyncLock?]>('release');

/** A scheduled time older than this (catch-up window 1 day + jitter) marks a backfill. */
export const ELEVO_BACKFILL_AFTER_MS = 26 * 3600 * 1000;
