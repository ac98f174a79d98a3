/** One line of the chaos table. */
export interface ScenarioRow {
  scenario: string;
  runs: number;
  faultsInjected: number;
  finalStateMatches: boolean;
  duplicates: number;
  /** Ids and counts only: why the state did not match, or what was exercised. */
  notes: string[];
}

export function formatTable(rows: ScenarioRow[]): string {
  const header = ['scenario', 'runs', 'faults injected', 'final state matches', 'duplicates'];
  const cells = rows.map((r) => [
    r.scenario,
    String(r.runs),
    String(r.faultsInjected),
    r.finalStateMatches ? 'yes' : 'NO',
    String(r.duplicates),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
