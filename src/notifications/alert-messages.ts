import type { Alert, AlertKind } from '../shared/alert-contract';
import { screeningProblemHint } from '../connectors/aequivalent-screening/report/fix-hints';

/** Who receives which alert by e-mail: operators run the connectors, HR acts on orders. */
export const ALERT_AUDIENCE: Record<AlertKind, 'operators' | 'hr'> = {
  'run-held': 'operators',
  'run-failed': 'operators',
  'write-back-blocked': 'operators',
  'order-invalid': 'hr',
  'order-result-available': 'hr',
  'connector-health': 'operators',
};

export interface AlertMessage {
  subject: string;
  text: string;
}

type AlertOf<K extends AlertKind> = Extract<Alert, { kind: K }>;

const reportCommand = (alert: Alert) => `npx lucca-connectors report ${alert.runId}`;

/** One message builder per kind: a new kind fails to compile until it has its message. */
const MESSAGES: { [K in AlertKind]: (alert: AlertOf<K>) => AlertMessage } = {
  'run-held': (alert) => ({
    subject: `[${alert.tenantId}] Elevo user sync held for approval`,
    text: lines(
      `The Elevo user sync of tenant ${alert.tenantId} wrote nothing and waits for a decision (72 hours at most).`,
      'Why:',
      ...alert.reasons.map((r) => `  - ${r.description} (${r.code})`),
      '',
      'See the plan, then decide (recorded as your operator identity):',
      `  npx lucca-connectors report ${alert.runId}`,
      `  npx lucca-connectors approve ${alert.runId} --comment "<why>"`,
      `  npx lucca-connectors reject ${alert.runId}`,
    ),
  }),
  'connector-health': (alert) => ({
    subject: `[${alert.tenantId}] ${alert.connector} is ${alert.state}${alert.state === 'healthy' ? ` again (was ${alert.previous})` : ''}`,
    text: lines(
      `The ${alert.connector} connector of tenant ${alert.tenantId} is now ${alert.state} (was ${alert.previous}).`,
      `Why: ${alert.reason}`,
      `See \`npx lucca-connectors tenants\` for its freshness, and its change feed ${alert.runId} in the Temporal Web UI.`,
    ),
  }),
  'run-failed': (alert) => ({
    subject: `[${alert.tenantId}] ${alert.connector} run failed (${alert.failure})`,
    text: lines(
      `A ${alert.connector} run of tenant ${alert.tenantId} failed: ${alert.failure}.`,
      `Run: ${alert.runId}`,
      'Open it in the Temporal Web UI (or `npx lucca-connectors runs --status failed`) for the failure details.',
    ),
  }),
  'order-invalid': (alert) => ({
    subject: `[${alert.tenantId}] Screening order not placed: the Lucca file of employee ${alert.luccaId} is incomplete`,
    text: lines(
      `The screening order for Lucca employee ${alert.luccaId} was not placed. Fix the following in Lucca; the next daily intake places the order:`,
      ...alert.problems.map((p) => `  - ${p.message}${p.luccaCode ? ` (${p.luccaCode})` : ''}\n    Fix: ${screeningProblemHint(p.code)}`),
      '',
      `Order: ${alert.runId} — ${reportCommand(alert)}`,
    ),
  }),
  'order-result-available': (alert) => ({
    subject: `[${alert.tenantId}] Screening report available for Lucca employee ${alert.luccaId}`,
    text: lines(
      `Aequivalent has finished the screening of Lucca employee ${alert.luccaId} (dossier ${alert.dossierId}).`,
      'Read the report in the Aequivalent portal (the result is not sent by e-mail).',
      `Order: ${alert.runId} — ${reportCommand(alert)}`,
    ),
  }),
  'write-back-blocked': (alert) => ({
    subject: `[${alert.tenantId}] Lucca refuses the screening status write-back (${alert.failure})`,
    text: lines(
      `Dossier ${alert.dossierId} is placed for Lucca employee ${alert.luccaId}, but Lucca refuses to store the "created" status (${alert.failure}, ${alert.attempts} attempt(s)).`,
      'The order keeps retrying and is never placed twice. Check that the Lucca API key may write the Background check section.',
      `Order: ${alert.runId} — ${reportCommand(alert)}`,
    ),
  }),
};

/** Subject and plain-text body of the e-mail (the webhook sends the alert itself as JSON). */
export function alertMessage(alert: Alert): AlertMessage {
  return (MESSAGES[alert.kind] as (a: Alert) => AlertMessage)(alert);
}

function lines(...l: string[]): string {
  return l.join('\n') + '\n';
}
