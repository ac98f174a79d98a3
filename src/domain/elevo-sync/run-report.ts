import type { SafetyReason } from './safety-check';
import { describeSafetyReason } from './safety-check';
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
  status: 'completed' | 'dry-run' | 'rejected' | 'approval-timed-out';
  generatedAt: string;
  planned: Record<string, number>;
  applied: number;
  failed: number;
  holdReasons: SafetyReason[];
  /**
   * `client`: the Temporal client identity the request claimed; `temporalIdentity`: the one Temporal
   * recorded with it (both absent in reports written before they were kept).
   */
  decision?: { approved: boolean; by: string; client?: string; temporalIdentity?: string; comment?: string };
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

const ACTION_LABELS: Record<ActionKind, string> = {
  create: 'Created',
  update: 'Updated',
  adopt: 'Adopted',
  suspend: 'Suspended',
  reactivate: 'Reactivated',
  release: 'Released',
  skip: 'Skipped',
};

/** The Temporal side of a decision: what Temporal recorded, and the request's own claim when it differs. */
function describeClient({ client, temporalIdentity }: NonNullable<RunReport['decision']>): string {
  if (temporalIdentity === undefined) return client ? ` (Temporal client ${client})` : '';
  if (client === undefined || client === temporalIdentity) return ` (Temporal client ${temporalIdentity})`;
  return ` (Temporal client ${temporalIdentity} as recorded by Temporal; the request claimed ${client})`;
}

export function renderReportText(report: RunReport): string {
  const out: string[] = [];
  out.push(`Elevo user sync — tenant ${report.tenantId} — ${report.runDate} — ${report.status.toUpperCase()}`);
  out.push(`Run ${report.runKey}, report generated ${report.generatedAt}`);
  const counts = Object.entries(report.planned).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
  out.push(`Planned: ${counts || 'nothing to do'}`);
  out.push(`Applied: ${report.applied}, failed: ${report.failed}`);
  for (const reason of report.holdReasons) out.push(`Held: ${describeSafetyReason(reason)}`);
  if (report.decision) {
    const { approved, by, comment } = report.decision;
    out.push(`${approved ? 'Approved' : 'Rejected'} by ${by}${describeClient(report.decision)}${comment ? ` — ${comment}` : ''}`);
  }
  out.push('');
  for (const line of report.lines) {
    const who = `${line.name ?? '(unknown name)'} [lucca ${line.luccaId ?? '-'}${line.elevoId ? `, elevo ${line.elevoId}` : ''}]`;
    const extra = [line.detail, line.managerIssue ? `manager not set: ${line.managerIssue}` : undefined, line.error ? `error: ${line.error}` : undefined].filter(Boolean).join('; ');
    out.push(`${ACTION_LABELS[line.action].padEnd(11)} ${line.outcome.padEnd(11)} ${who} — ${line.reason}${extra ? ` (${extra})` : ''}`);
    for (const change of line.changes ?? []) out.push(`            ${change.field}: ${show(change.before)} → ${show(change.after)}`);
  }
  return out.join('\n') + '\n';
}

export const REPORT_CSV_COLUMNS = ['action', 'outcome', 'lucca_id', 'elevo_id', 'name', 'reason', 'detail', 'manager_issue', 'changes', 'error'] as const;

export function renderReportCsv(report: RunReport): string {
  const rows = [REPORT_CSV_COLUMNS.join(',')];
  for (const l of report.lines) {
    const changes = (l.changes ?? []).map((c) => `${c.field}: ${show(c.before)} -> ${show(c.after)}`).join(' | ');
    rows.push([l.action, l.outcome, l.luccaId ?? '', l.elevoId ?? '', l.name ?? '', l.reason, l.detail ?? '', l.managerIssue ?? '', changes, l.error ?? ''].map(csvCell).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}

function show(value: string | null): string {
  return value === null ? '∅' : `"${value}"`;
}

/** RFC 4180 quoting, and a leading quote against spreadsheet formula injection. */
function csvCell(value: string | number): string {
  let s = String(value);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
