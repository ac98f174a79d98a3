import { findMatchingLabel } from '../connectors/aequivalent-screening/domain/status-label';
import type { ExtensionDefinition } from '../integrations/lucca/lucca-schemas';
import { finding, type CheckFinding, type FindingSeverity } from './check-finding';
import { readFormat, type DataKind } from './data-format';
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
  formatKey: Extract<DataKind, 'text' | 'boolean' | 'list' | 'file' | 'user'>;
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

interface Judged {
  data: ExpectedData;
  def: ExtensionDefinition;
  subject: string;
  section: string;
  /** Severity of a certain problem: blocking when the data is required. */
  gap: FindingSeverity;
}

/**
 * Defined? right format? readable by the key? list entries present? — from the snapshot, no request.
 * A finding is blocking only on certain evidence; what rests on an assumption is a warning that says
 * what was seen and how to confirm it, and never advises recreating anything.
 */
export function extendedDataFindings(snapshot: LuccaAccessSnapshot, data: ExpectedData): CheckFinding[] {
  const subject = `${data.code} (${data.section ? `section "${data.section}"` : (data.label ?? 'HR file')})`;
  const section = data.section ?? `that holds ${data.code}`;
  const gap = data.required ? 'blocking' : 'warning';
  const def = snapshot.definitions.get(data.code.toLowerCase());
  if (!def) {
    // The definitions collection lists every code: absence there is certain.
    return [
      finding(
        gap,
        'lucca.data-missing',
        subject,
        `Lucca has no data with the code ${data.code}: ${data.impact}.`,
        advice.createData(section, data.name, data.code, formatLabel(data.formatKey, data.multiple)),
      ),
    ];
  }
  const judged: Judged = { data, def, subject, section, gap };
  const out = [...formatFindings(judged), ...visibilityFindings(snapshot, judged), ...entryFindings(judged)];
  if (out.length === 0) {
    const seen = snapshot.codes.seen.get(data.code.toLowerCase());
    out.push(
      finding(
        'ok',
        'lucca.data-ok',
        subject,
        `${data.code} exists ("${formatLabel(def.formatKey, def.isMultiple ?? false)}") and came back on ${seen ? seen.withValue + seen.empty : 0} of the ${snapshot.codes.employeesRead} employee(s) read.`,
      ),
    );
  }
  return out;
}

function formatFindings({ data, def, subject, gap }: Judged): CheckFinding[] {
  const expected = formatLabel(data.formatKey, data.multiple);
  const reading = readFormat(def);
  const shown = `formatKey "${def.formatKey ?? ''}"`;
  if (reading.kind === data.formatKey) return multiplicityFindings({ data, def, subject, gap } as Judged);
  if (reading.certain) {
    const actual = formatLabel(reading.kind, def.isMultiple ?? false);
    return [
      finding(
        gap,
        'lucca.data-wrong-format',
        subject,
        `${data.code} is "${actual}" (${shown}), the connector needs "${expected}": ${data.impact}.`,
        advice.changeFormat(data.code, actual, expected),
      ),
    ];
  }
  return [
    finding(
      'warning',
      'lucca.data-format-unconfirmed',
      subject,
      `Lucca describes ${data.code} with ${shown}, which does not tell for sure whether it is "${expected}" (the connector needs that format, otherwise ${data.impact}).`,
      advice.confirmFormat(data.code, expected),
    ),
  ];
}

/** `isMultiple` is our reading of the definition (not documented): a mismatch is a warning to confirm. */
function multiplicityFindings({ data, def, subject }: Judged): CheckFinding[] {
  if (data.multiple === undefined || def.isMultiple === undefined || def.isMultiple === data.multiple) return [];
  const expected = formatLabel(data.formatKey, data.multiple);
  return [
    finding(
      'warning',
      'lucca.data-format-unconfirmed',
      subject,
      `Lucca describes ${data.code} with isMultiple=${def.isMultiple}; the connector needs "${expected}".`,
      advice.confirmFormat(data.code, expected),
    ),
  ];
}

function visibilityFindings(snapshot: LuccaAccessSnapshot, { data, subject, section, gap }: Judged): CheckFinding[] {
  const { employeesRead, seen, unsetComesBackEmpty } = snapshot.codes;
  if (employeesRead === 0 || seen.has(data.code.toLowerCase())) return [];
  if (unsetComesBackEmpty) {
    // This Lucca answers unset codes with null: a code missing from every answer is hidden from the key.
    const detail = `Lucca answered other codes empty (null) but left ${data.code} out for all ${employeesRead} employee(s) read: the key cannot see it, so ${data.impact}.`;
    return [finding(gap, 'lucca.section-hidden', subject, detail, advice.readSection(section, data.readOnly ?? false))];
  }
  const detail = `None of the ${employeesRead} employee(s) read came back with ${data.code}, and this Lucca leaves unset data out of its answers: either nobody has a value yet, or the key cannot see it (then ${data.impact}).`;
  return [
    finding('warning', 'lucca.section-unconfirmed', subject, detail, advice.confirmReadSection(section, data.code, data.readOnly ?? false)),
  ];
}

function entryFindings({ data, def, subject }: Judged): CheckFinding[] {
  // Entries are only meaningful on what is certainly a list (documented key or entries present).
  if (!data.entries || readFormat(def).kind !== 'list') return [];
  const labels = (def.extensionUserPropertyListEntries ?? []).map((e) => e.name);
  const name = def.name ?? data.name;
  return data.entries
    .filter((entry) => !findMatchingLabel(entry.label, labels))
    .map((entry) =>
      finding(
        entry.required ? 'blocking' : 'warning',
        'lucca.list-entry-missing',
        subject,
        `The list ${data.code} has no entry "${entry.label}"${entry.required ? '' : ' (orders cannot use it)'}.`,
        advice.addListEntry(data.code, name, entry.label),
      ),
    );
}
