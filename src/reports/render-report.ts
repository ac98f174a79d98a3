import type { ReportDocument, ReportFormat } from './report-document';
import { documentToCsv, documentToHtml, documentToSummary, documentToText } from './render-document';

/**
 * The one place a connector's report becomes a string: text, CSV and HTML from its document, JSON
 * from the report itself with the summary and the "needs action" lines in front.
 */
export function renderDocument(doc: ReportDocument, format: ReportFormat, raw: unknown): string {
  switch (format) {
    case 'text':
      return documentToText(doc);
    case 'csv':
      return documentToCsv(doc);
    case 'html':
      return documentToHtml(doc);
    case 'summary':
      return documentToSummary(doc);
    case 'json':
      return JSON.stringify({ title: doc.title, summary: doc.summary, needsAction: doc.actions, report: raw }, null, 2) + '\n';
  }
}
