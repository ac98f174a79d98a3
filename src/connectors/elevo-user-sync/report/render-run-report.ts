import { describeSafetyReason } from '../domain/safety-check';
import { describeClient, type RunReport, type RunReportLine } from '../domain/run-report';
import { elevoFailureHint, elevoManagerHint, elevoSkipHint } from './fix-hints';
import type { ActionItem, ReportDocument, ReportFormat } from '../../../reports/report-document';
import { renderDocument } from '../../../reports/render-report';

/**
 * The Elevo user sync report (a run, or the plan of a dry run) for an HR admin: summary, the lines
 * to act on (failed writes, skipped employees, managers that could not be set) with a fix each,
 * then every line with its outcome and field changes.
 */
export function renderElevoRunReport(report: RunReport, format: ReportFormat): string {
  return renderDocument(elevoRunDocument(report), format, report);
}

const ACTION_LABELS: Record<RunReportLine['action'], string> = {
  create: 'Create',
  update: 'Update',
  adopt: 'Adopt',
  suspend: 'Suspend',
  reactivate: 'Reactivate',
  release: 'Release',
  skip: 'Skip',
};

/** Skipped lines that are plain information (nothing to fix). */
const INFORMATIONAL_SKIPS = new Set(['not-yet-started']);

export const ELEVO_REPORT_COLUMNS = [
  'needs_action',
  'action',
  'outcome',
  'lucca_id',
  'elevo_id',
  'name',
  'reason',
  'detail',
  'manager_issue',
  'changes',
  'error',
  'hint',
];

export function elevoRunDocument(report: RunReport): ReportDocument {
  const withAction = report.lines.map((line) => ({ line, action: actionFor(line) }));
  const ordered = [...withAction.filter((l) => l.action), ...withAction.filter((l) => !l.action)];
  return {
    title: `Elevo user sync — ${report.tenantId} — ${report.runDate} — ${statusWords(report.status)}`,
    summary: summaryOf(report),
    actions: ordered.flatMap((l) => (l.action ? [l.action] : [])),
    tableTitle: report.status === 'dry-run' ? 'Planned lines' : 'Every line',
    table: {
      columns: ELEVO_REPORT_COLUMNS,
      rows: ordered.map(({ line, action }) => [
        action ? 'yes' : '',
        ACTION_LABELS[line.action],
        line.outcome,
        line.luccaId ?? '',
        line.elevoId ?? '',
        line.name ?? '',
        line.reason,
        line.detail ?? '',
        line.managerIssue ?? '',
        (line.changes ?? []).map((c) => `${c.field}: ${show(c.before)} -> ${show(c.after)}`).join(' | '),
        line.error ?? '',
        action?.hint ?? '',
      ]),
      textOmit: ['hint', 'needs_action'],
    },
  };
}

function summaryOf(report: RunReport): ReportDocument['summary'] {
  const planned = Object.entries(report.planned)
    .filter(([k, n]) => n > 0 && k !== 'unmanaged')
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const failedWord = report.failed === 1 ? 'write' : 'writes';
  const summary = [
    { label: 'Tenant', value: report.tenantId },
    { label: 'Run date', value: report.runDate },
    { label: 'Status', value: statusWords(report.status) },
    { label: 'Planned', value: planned || 'nothing to do' },
    {
      label: 'Outcome',
      value: report.status === 'dry-run' ? 'dry run: nothing written' : `${report.applied} applied, ${report.failed} failed ${failedWord}`,
    },
  ];
  for (const reason of report.holdReasons) summary.push({ label: 'Held', value: describeSafetyReason(reason) });
  if (report.decision) {
    const { approved, by, comment, key } = report.decision;
    // `key`: the operator key whose signature proved `by` (see shared/operator-proof.ts).
    summary.push({
      label: approved ? 'Approved by' : 'Rejected by',
      value: `${by}${key ? ` (proven by operator key ${key})` : ''}${describeClient(report.decision)}${comment ? ` — ${comment}` : ''}`,
    });
  }
  summary.push({ label: 'Generated', value: report.generatedAt });
  return summary;
}

function statusWords(status: RunReport['status']): string {
  return {
    completed: 'completed',
    'dry-run': 'dry run (plan only)',
    rejected: 'rejected, nothing written',
    'approval-timed-out': 'not approved in time, nothing written',
    'approval-outdated': 'approval outdated (the data changed since), nothing written',
  }[status];
}

function subjectOf(line: RunReportLine): string {
  return `${line.name ?? '(no name)'} (Lucca ${line.luccaId ?? '-'}${line.elevoId ? `, Elevo ${line.elevoId}` : ''})`;
}

function actionFor(line: RunReportLine): ActionItem | undefined {
  const subject = subjectOf(line);
  if (line.outcome === 'failed') {
    return {
      subject,
      code: line.error ?? 'write-failed',
      what: `${ACTION_LABELS[line.action]} failed: Elevo refused the write.`,
      hint: elevoFailureHint(line.error),
    };
  }
  if (line.action === 'skip' && !INFORMATIONAL_SKIPS.has(line.reason)) {
    const code = line.detail && line.reason === 'invalid-record' ? `${line.reason}:${line.detail}` : line.reason;
    return {
      subject,
      code,
      what: `Not synced (${line.reason}${line.detail ? `, ${line.detail}` : ''}).`,
      hint: elevoSkipHint(line.reason, line.detail) ?? "Check this employee's Lucca file.",
    };
  }
  if (line.managerIssue) {
    return {
      subject,
      code: line.managerIssue,
      what: `${ACTION_LABELS[line.action]} ${line.outcome}, but the manager could not be set.`,
      hint: elevoManagerHint(line.managerIssue),
    };
  }
  return undefined;
}

function show(value: string | null): string {
  return value === null ? '(empty)' : `"${value}"`;
}
