/**
 * The common shape of every report an operator or HR admin reads, whatever the connector: a title,
 * a summary, the lines that need someone to act (each with its reason code and a one-sentence fix),
 * then the full table. Connector renderers build one; `render-document.ts` prints it as text, CSV
 * or a self-contained HTML page (JSON is the connector's own report, with the summary in front).
 */
/** `summary`: the summary and how many lines need action, no per-person line (safe for any terminal log). */
export type ReportFormat = 'text' | 'json' | 'csv' | 'html' | 'summary';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'csv', 'html', 'summary'];

export interface ActionItem {
  /** Who or what the line is about (a name, a Lucca id, an order). */
  subject: string;
  /** Stable, data-free reason code (e.g. `duplicate-email`, `ElevoConflictError:409`). */
  code: string;
  /** What happened, in words. */
  what: string;
  /** One sentence: what to fix, and where (usually in Lucca). */
  hint: string;
}

export interface ReportTable {
  columns: string[];
  /** Rows in reading order: lines that need action first. */
  rows: Array<Array<string | number>>;
  /** Columns left out of the text form (e.g. the hint, already under "Needs action"). */
  textOmit?: string[];
}

export interface ReportDocument {
  title: string;
  summary: Array<{ label: string; value: string }>;
  actions: ActionItem[];
  /** Heading of the full table (e.g. "Every line", "Timeline"). */
  tableTitle: string;
  table: ReportTable;
  /** Extra lines under the table (e.g. field changes are inline, so usually empty). */
  notes?: string[];
}

/** Every connector's report renderer has this shape (the connector registry holds one each). */
export type ReportRenderer<R> = (report: R, format: ReportFormat) => string;
