import { parseScreeningOrderWorkflowId, type ScreeningIntakeResult } from '../contract';
import type { ActionItem, ReportDocument, ReportFormat } from '../../../reports/report-document';
import { renderDocument } from '../../../reports/render-report';
import { intakeHint } from './fix-hints';

/**
 * The daily screening intake report: every employee whose order status asks for an order, and
 * what the intake did with it — ordered (order started), re-run (a fixed file), joined (an order
 * already in progress), refused or skipped, and why. Ids only: the intake reads no names.
 */
export function renderScreeningIntakeReport(result: ScreeningIntakeResult, format: ReportFormat): string {
  return renderDocument(screeningIntakeDocument(result), format, result);
}

interface Row {
  luccaId: string;
  result: 'ordered' | 're-run' | 'joined' | 'refused' | 'skipped';
  reason: string;
  order: string;
}

export function screeningIntakeDocument(result: ScreeningIntakeResult): ReportDocument {
  const lucca = (workflowId: string) => String(parseScreeningOrderWorkflowId(workflowId)?.luccaId ?? '?');
  const rows: Row[] = [
    ...result.refused.map((r) => ({ luccaId: lucca(r.workflowId), result: 'refused' as const, reason: r.reason, order: r.workflowId })),
    ...(result.skipped ?? []).map((s) => ({ luccaId: String(s.luccaId), result: 'skipped' as const, reason: s.reason, order: '' })),
    ...result.started.map((id) => ({ luccaId: lucca(id), result: 'ordered' as const, reason: 'new-request', order: id })),
    ...result.restarted.map((id) => ({
      luccaId: lucca(id),
      result: 're-run' as const,
      reason: 'previous-attempt-placed-nothing',
      order: id,
    })),
    ...result.joined.map((id) => ({ luccaId: lucca(id), result: 'joined' as const, reason: 'order-in-progress', order: id })),
  ];
  const actions: ActionItem[] = rows
    .filter((r) => r.result === 'refused' || r.result === 'skipped')
    .map((r) => ({
      subject: `Lucca employee ${r.luccaId}`,
      code: r.reason,
      what: r.result === 'refused' ? 'No new order was started.' : 'Not ordered.',
      hint: intakeHint(r.reason),
    }));
  return {
    title: `Aequivalent screening intake — ${result.tenantId}${result.runDate ? ` — ${result.runDate}` : ''}`,
    summary: [
      { label: 'Tenant', value: result.tenantId },
      { label: 'Employees read', value: String(result.scanned) },
      { label: 'Asking for an order', value: String(result.candidates + (result.skipped?.length ?? 0)) },
      {
        label: 'Outcome',
        value: `${result.started.length} ordered, ${result.restarted.length} re-run, ${result.joined.length} already in progress, ${result.refused.length} refused, ${result.skipped?.length ?? 0} skipped`,
      },
      { label: 'Lucca requests', value: String(result.luccaRequests) },
    ],
    actions,
    tableTitle: 'Every employee asking for an order',
    table: {
      columns: ['lucca_id', 'result', 'reason', 'order', 'hint'],
      rows: rows.map((r) => [
        r.luccaId,
        r.result,
        r.reason,
        r.order,
        r.result === 'refused' || r.result === 'skipped' ? intakeHint(r.reason) : '',
      ]),
      textOmit: ['hint'],
    },
    notes: result.started.length + result.restarted.length > 0 ? ['Each order has its own report: `lucca-connectors report <order>`.'] : [],
  };
}
