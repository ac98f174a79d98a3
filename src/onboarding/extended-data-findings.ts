import { findMatchingLabel } from '../domain/aequivalent-screening/status-label';
import { finding, type CheckFinding } from './check-finding';
import type { LuccaAccessSnapshot } from './lucca-access-snapshot';
import { advice, formatLabel } from './lucca-setup-advice';

/** One piece of HR-file data a connector relies on, as the set-up article asks the customer to create it. */
export interface ExpectedData {
  code: string;
  /** Name suggested by the set-up article ("Statut de la commande du dossier"). */
  name: string;
  /** The HR-file section the set-up article names; absent for data the customer chose (Elevo extra fields). */
  section?: string;
  /** How the subject line names the data when it has no section of its own, e.g. `Elevo field "costCenter"`. */
  label?: string;
  formatKey: 'text' | 'boolean' | 'list' | 'file' | 'user';
  multiple?: boolean;
  /** Without it the connector cannot run (blocking) rather than run with a gap (warning). */
  required: boolean;
  /** What goes wrong without it, in plain words. */
  impact: string;
  /** List entries the connector needs (matched ignoring accents and case), and whether each is required. */
  entries?: Array<{ label: string; required: boolean }>;
  /** The connector only reads the data ("Consulter seulement" is enough). */
  readOnly?: boolean;
}

/** Defined? right format? readable by the key? list entries present? — from the snapshot, no request. */
export function extendedDataFindings(snapshot: LuccaAccessSnapshot, data: ExpectedData): CheckFinding[] {
  const subject = `${data.code} (${data.section ? `section "${data.section}"` : data.label ?? 'HR file'})`;
  const section = data.section ?? `that holds ${data.code}`;
  const gap = data.required ? 'blocking' : 'warning';
  const def = snapshot.definitions.get(data.code.toLowerCase());
  const expectedFormat = formatLabel(data.formatKey, data.multiple);
  if (!def) {
    return [finding(gap, 'lucca.data-missing', subject, `Lucca has no data with the code ${data.code}: ${data.impact}.`, advice.createData(section, data.name, data.code, expectedFormat))];
  }
  const name = def.name ?? data.name;
  const out: CheckFinding[] = [];
  if ((def.formatKey ?? '').toLowerCase() !== data.formatKey || (data.multiple !== undefined && (def.isMultiple ?? false) !== data.multiple)) {
    const actual = formatLabel(def.formatKey, def.isMultiple ?? false);
    out.push(finding(gap, 'lucca.data-wrong-format', subject, `${data.code} is "${actual}", the connector needs "${expectedFormat}": ${data.impact}.`, advice.changeFormat(data.code, actual, expectedFormat)));
  }
  if (snapshot.readableCodes && !snapshot.readableCodes.has(data.code.toLowerCase())) {
    out.push(
      finding(gap, 'lucca.section-hidden', subject, `The API key cannot see ${data.code}: Lucca silently leaves it out, so ${data.impact}.`, advice.readSection(section, data.readOnly ?? false)),
    );
  }
  const labels = (def.extensionUserPropertyListEntries ?? []).map((e) => e.name);
  for (const entry of data.entries ?? []) {
    if (findMatchingLabel(entry.label, labels)) continue;
    out.push(
      finding(
        entry.required ? 'blocking' : 'warning',
        'lucca.list-entry-missing',
        subject,
        `The list ${data.code} has no entry "${entry.label}"${entry.required ? '' : ' (orders cannot use it)'}.`,
        advice.addListEntry(data.code, name, entry.label),
      ),
    );
  }
  if (out.length === 0) out.push(finding('ok', 'lucca.data-ok', subject, `${data.code} exists ("${formatLabel(def.formatKey, def.isMultiple ?? false)}") and the key can read it.`));
  return out;
}
