import type { OrderState, ScreeningOrderResult, ScreeningOutcome, StatusHistoryEntry } from '../contract';
import type { ActionItem, ReportDocument, ReportFormat } from '../../../reports/report-document';
import { describeOperator } from '../../../shared/operator-identity';
import { renderDocument } from '../../../reports/render-report';
import { screeningProblemHint } from './fix-hints';

/** Everything the order report shows; candidate and package come from the order's encrypted history. */
export interface ScreeningOrderReport {
  orderId: string;
  tenantId: string;
  luccaId: number;
  /** Temporal status of the order workflow (RUNNING, COMPLETED, FAILED, …). */
  workflowStatus: string;
  state: OrderState;
  result?: ScreeningOrderResult;
  /** Absent when nothing was ordered (invalid data): the candidate's data never left Lucca. */
  candidate?: { name: string; package: string; reason?: string };
}

/**
 * One screening order for HR: the candidate, the package, the timeline of dossier statuses, the
 * outcome in words, the problems and what to do about them.
 */
export function renderScreeningOrderReport(report: ScreeningOrderReport, format: ReportFormat): string {
  return renderDocument(screeningOrderDocument(report), format, report);
}

const OUTCOME_WORDS: Record<ScreeningOutcome, string> = {
  compliant: 'report available — compliant',
  attention_points: 'report available — attention points',
  non_compliant: 'report available — non-compliant',
  consent_refused: 'the candidate refused consent',
  expired: 'expired (no answer from the candidate within 6 weeks)',
  cancelled: 'cancelled',
  'cancelled-by-hr': 'not ordered: the request was withdrawn in Lucca',
  invalid: 'not ordered: the Lucca file is incomplete',
  result_missing: 'report available, but Aequivalent sent no result',
  'follow-up-deadline': 'still open at the follow-up deadline: check the dossier at Aequivalent',
};

const STATUS_WORDS: Record<StatusHistoryEntry['status'], string> = {
  created: 'dossier created',
  candidate_invited: 'candidate invited',
  consent_given: 'consent given',
  consent_refused: 'consent refused',
  in_progress: 'checks in progress',
  report_available: 'report available',
  expired: 'expired',
  cancelled: 'cancelled',
};

export function screeningOrderDocument(report: ScreeningOrderReport): ReportDocument {
  const { state } = report;
  const outcome = report.result?.outcome ?? state.outcome;
  const summary = [
    { label: 'Tenant', value: report.tenantId },
    { label: 'Order', value: report.orderId },
    {
      label: 'Candidate',
      value: report.candidate ? `${report.candidate.name} (Lucca ${report.luccaId})` : `Lucca employee ${report.luccaId}`,
    },
    { label: 'Package', value: report.candidate?.package ?? '-' },
    { label: 'Dossier', value: state.dossierId ?? 'not created' },
    { label: 'Outcome', value: outcome ? OUTCOME_WORDS[outcome] : `in progress (${stageWords(state)})` },
    { label: 'Files sent', value: String(state.filesTransferred) },
  ];
  // The operator the signed cancel proved (see shared/operator-proof.ts), never a typed name.
  if (state.cancelledBy) summary.push({ label: 'Cancelled by', value: describeOperator(state.cancelledBy) });
  if (state.writeBackFailures > 0)
    summary.push({
      label: 'Lucca write-back',
      value: `${state.writeBackFailures} failed attempt(s)${state.stage === 'writing-back' ? ', still blocked' : ''}`,
    });
  if (report.workflowStatus !== 'RUNNING' && report.workflowStatus !== 'COMPLETED')
    summary.push({ label: 'Workflow', value: report.workflowStatus.toLowerCase() });
  return {
    title: `Aequivalent screening order — ${report.tenantId} — Lucca employee ${report.luccaId}`,
    summary,
    actions: actionsOf(report, outcome),
    tableTitle: 'Timeline',
    table: {
      columns: ['at', 'status', 'source'],
      rows: state.history.map((h) => [h.at, STATUS_WORDS[h.status], h.source]),
    },
  };
}

function stageWords(state: OrderState): string {
  return {
    reading: 'reading the Lucca file',
    ordering: 'placing the order',
    'writing-back': 'writing the status back to Lucca',
    'transferring-files': 'sending the files',
    following: 'waiting for Aequivalent',
    'write-back-blocked': 'placed, but Lucca refuses the status write-back (still retried)',
    cancelling: 'cancelling',
    completed: 'completed',
  }[state.stage];
}

function actionsOf(report: ScreeningOrderReport, outcome: ScreeningOutcome | undefined): ActionItem[] {
  const subject = report.candidate?.name ?? `Lucca employee ${report.luccaId}`;
  const actions: ActionItem[] = report.state.problems.map((p) => ({
    subject,
    code: p.code,
    what: `${p.message}${p.luccaCode ? ` (${p.luccaCode})` : ''}`,
    hint: screeningProblemHint(p.code),
  }));
  if (report.state.stage === 'writing-back' && report.state.writeBackFailures > 0) {
    actions.push({
      subject,
      code: 'write-back-blocked',
      what: 'The dossier exists, but Lucca refuses the "created" status write; the order keeps retrying (never re-ordered).',
      hint: 'An operator checks that the Lucca key may write the Background check section; meanwhile do not re-order this employee.',
    });
  }
  if (outcome === 'attention_points' || outcome === 'non_compliant' || outcome === 'result_missing') {
    actions.push({
      subject,
      code: outcome,
      what: `${OUTCOME_WORDS[outcome]}.`,
      hint: 'Read the report in the Aequivalent portal and decide with the hiring manager.',
    });
  }
  if (outcome === 'consent_refused' || outcome === 'expired') {
    actions.push({
      subject,
      code: outcome,
      what: `${OUTCOME_WORDS[outcome]}.`,
      hint: 'Talk to the candidate; to order again, set the order status to "Dossier à commander" anew in Lucca.',
    });
  }
  return actions;
}
