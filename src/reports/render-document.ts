import type { ReportDocument, ReportTable } from './report-document';

/** Plain text for a terminal or an e-mail: summary, "needs action" list, then every line. */
export function documentToText(doc: ReportDocument): string {
  const out: string[] = [doc.title, '='.repeat(Math.min(doc.title.length, 100))];
  const width = Math.max(0, ...doc.summary.map((s) => s.label.length));
  for (const s of doc.summary) out.push(`${s.label.padEnd(width)}  ${s.value}`);
  out.push('');
  out.push(doc.actions.length > 0 ? `Needs action (${doc.actions.length})` : 'Needs action: nothing');
  for (const a of doc.actions) {
    out.push(`  - ${a.subject} [${a.code}]: ${a.what}`);
    out.push(`    Fix: ${a.hint}`);
  }
  out.push('');
  out.push(`${doc.tableTitle} (${doc.table.rows.length})`);
  out.push(...textTable(doc.table));
  for (const note of doc.notes ?? []) out.push(note);
  return out.join('\n') + '\n';
}

/** Title, summary and the number of lines needing action: no name, no per-person line. */
export function documentToSummary(doc: ReportDocument): string {
  const width = Math.max(0, ...doc.summary.map((s) => s.label.length), 'Needs action'.length);
  const out = [doc.title, ...doc.summary.map((s) => `${s.label.padEnd(width)}  ${s.value}`)];
  const codes = [...new Set(doc.actions.map((a) => a.code))].join(', ');
  out.push(`${'Needs action'.padEnd(width)}  ${doc.actions.length}${codes ? ` (${codes})` : ''}`);
  return out.join('\n') + '\n';
}

function textTable(table: ReportTable): string[] {
  if (table.rows.length === 0) return ['  (none)'];
  // Columns empty on every row, or left out of the text form, are not printed.
  const keep = table.columns.map((c, i) => !(table.textOmit ?? []).includes(c) && table.rows.some((r) => String(r[i] ?? '') !== ''));
  const pick = <T>(r: T[]) => r.filter((_c, i) => keep[i]);
  const columns = pick(table.columns);
  const cells = [columns, ...table.rows.map((r) => pick(r.map((c) => String(c))))];
  // The last column is free text: only the others are padded.
  const widths = columns.map((_c, i) => (i === columns.length - 1 ? 0 : Math.min(40, Math.max(...cells.map((r) => (r[i] ?? '').length)))));
  return cells.map(
    (r) =>
      '  ' +
      r
        .map((c, i) => (widths[i] ? c.padEnd(widths[i]) : c))
        .join('  ')
        .trimEnd(),
  );
}

/** RFC 4180, CRLF line ends, one header row; formula-looking cells are neutralised for spreadsheets. */
export function documentToCsv(doc: ReportDocument): string {
  const rows = [doc.table.columns, ...doc.table.rows].map((r) => r.map(csvCell).join(','));
  return rows.join('\r\n') + '\r\n';
}

export function csvCell(value: string | number): string {
  let s = String(value);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One HTML file with inline CSS, no scripts and no external resources: it opens anywhere, offline. */
export function documentToHtml(doc: ReportDocument): string {
  const e = escapeHtml;
  const summary = doc.summary.map((s) => `<tr><th scope="row">${e(s.label)}</th><td>${e(s.value)}</td></tr>`).join('');
  const actions =
    doc.actions.length === 0
      ? '<p class="ok">Nothing needs action.</p>'
      : `<ol class="actions">${doc.actions
          .map(
            (a) =>
              `<li><strong>${e(a.subject)}</strong> <code>${e(a.code)}</code> — ${e(a.what)}<br><span class="hint">Fix: ${e(a.hint)}</span></li>`,
          )
          .join('')}</ol>`;
  const head = doc.table.columns.map((c) => `<th>${e(c)}</th>`).join('');
  const body = doc.table.rows.map((r) => `<tr>${r.map((c) => `<td>${e(String(c))}</td>`).join('')}</tr>`).join('\n');
  const notes = (doc.notes ?? []).map((n) => `<p>${e(n)}</p>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(doc.title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1b1b1b}
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
.summary th{background:#f4f4f4}.actions li{margin:.4em 0}.hint{color:#0b5394}.ok{color:#2e7d32}
code{background:#f4f4f4;padding:0 .2em}
</style></head>
<body>
<h1>${e(doc.title)}</h1>
<table class="summary">${summary}</table>
<h2 id="needs-action">Needs action (${doc.actions.length})</h2>
${actions}
<h2>${e(doc.tableTitle)} (${doc.table.rows.length})</h2>
<table class="lines"><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table>
${notes}
</body></html>
`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
