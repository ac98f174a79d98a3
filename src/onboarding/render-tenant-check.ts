import type { CheckFinding, FindingSeverity, TenantCheckReport } from './check-finding';

const MARK: Record<FindingSeverity, string> = { ok: 'ok  ', warning: 'WARN', blocking: 'FAIL', unverified: '?   ' };

/** The report as an operator reads it: per connector, one line per finding, its fix indented below. */
export function renderTenantCheckText(report: TenantCheckReport, options: { verbose?: boolean } = {}): string {
  const lines = [
    `Tenant ${report.tenantId} — checked ${report.checkedAt} — ${report.luccaRequests} Lucca request(s)${report.wroteToLucca ? ', wrote to Lucca (see the findings)' : ', nothing written'}`,
  ];
  const section = (title: string, findings: CheckFinding[]) => {
    lines.push(`  ${title}`);
    const shown = options.verbose ? findings : findings.filter((f) => f.severity !== 'ok');
    if (shown.length === 0) lines.push('    ok    everything checked is in order');
    shown.forEach((f, i) => {
      lines.push(`    ${MARK[f.severity]}  ${f.subject}: ${f.detail}`);
      // One hidden section makes several codes disappear: say its fix once, after the last of them.
      if (f.fix && f.severity !== 'ok' && shown[i + 1]?.fix !== f.fix) lines.push(`          → ${f.fix}`);
    });
  };
  section('Lucca', report.lucca);
  for (const c of report.connectors) section(`${c.connector}: ${c.canRun ? 'can run' : 'CANNOT RUN'}`, c.findings);
  if (report.connectors.length === 0) lines.push('  no connector is enabled for this tenant');
  return lines.join('\n') + '\n';
}
