import type { SafetyReason } from './safety-check';
import type { ActionKind, FieldChange, ManagerIssue, SyncAction } from './sync-model';

/**
 * The run report an HR admin reads: counts per action and one line per affected or skipped
 * employee with its reason code (and, for updates, the changed fields). It holds personal data,
 * so it lives only in the encrypted artifact store and in encrypted payloads.
 */
export type LineOutcome = 'applied' | 'failed' | 'planned' | 'not-applied' | 'skipped';

export interface RunReportLine {
  action: ActionKind;
  luccaId: number | null;
  elevoId: string | null;
  name: string | null;
  reason: string;
  detail?: string;
  managerIssue?: ManagerIssue;
  changes?: FieldChange[];
  outcome: LineOutcome;
  /** Data-free error code when the write failed (e.g. `ElevoConflictError:email_taken`). */
  error?: string;
}

export interface RunReport {
  tenantId: string;
  runKey: string;
  runDate: string;
  status: 'completed' | 'dry-run' | 'rejected' | 'approval-timed-out' | 'approval-outdated';
  generatedAt: string;
  planned: Record<string, number>;
  applied: number;
  failed: number;
  holdReasons: SafetyReason[];
  /**
   * `client`: the Temporal client identity the request claimed; `temporalIdentity`: the one Temporal
   * recorded with it (both absent in reports written before they were kept).
   */
  decision?: { approved: boolean; by: string; client?: string; temporalIdentity?: string; comment?: string; key?: string };
  lines: RunReportLine[];
}

export function reportLineFor(action: SyncAction, name: string | null, outcome: LineOutcome, error?: string): RunReportLine {
  const line: RunReportLine = {
    action: action.kind,
    luccaId: action.luccaId ?? null,
    elevoId: 'elevoId' in action && action.elevoId ? action.elevoId : null,
    name,
    reason: action.reason,
    outcome,
  };
  if ('detail' in action && action.detail) line.detail = action.detail;
  if ('managerIssue' in action && action.managerIssue) line.managerIssue = action.managerIssue;
  if ('changes' in action && action.changes.length) line.changes = action.changes;
  if (action.kind === 'adopt') line.detail = `matched by ${action.matchedBy}`;
  if (error) line.error = error;
  return line;
}

/** The Temporal side of a decision: what Temporal recorded, and the request's own claim when it differs. */
export function describeClient({ client, temporalIdentity }: NonNullable<RunReport['decision']>): string {
  if (temporalIdentity === undefined) return client ? ` (Temporal client ${client})` : '';
  if (client === undefined || client === temporalIdentity) return ` (Temporal client ${temporalIdentity})`;
  return ` (Temporal client ${temporalIdentity} as recorded by Temporal; the request claimed ${client})`;
}

// Rendering (text, CSV, JSON, HTML, summary): src/connectors/elevo-user-sync/report/render-run-report.ts.
