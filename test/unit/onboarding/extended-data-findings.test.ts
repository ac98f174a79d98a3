import { observeCodes } from '../../../src/onboarding/code-observations';
import { extendedDataFindings, type ExpectedData } from '../../../src/onboarding/extended-data-findings';
import type { LuccaAccessSnapshot } from '../../../src/onboarding/lucca-access-snapshot';
import type { ExtensionDefinition } from '../../../src/integrations/lucca/lucca-schemas';
import type { CanonicalUser } from '../../../src/integrations/lucca/lucca-user-fields';

const STATUS: ExpectedData = {
  code: 'e_order_status',
  name: 'Statut de la commande du dossier',
  section: 'Background check',
  formatKey: 'list',
  required: true,
  impact: 'no order is ever seen',
  entries: [
    { label: 'Dossier à commander', required: true },
    { label: 'Dossier crée par Aequivalent', required: true },
  ],
};
const ENTRIES = [
  { id: 8400, name: 'Dossier à commander' },
  { id: 8413, name: 'Dossier crée par Aequivalent' },
];
const CV: ExpectedData = {
  code: 'e_cv',
  name: 'CV',
  section: 'Background check',
  formatKey: 'file',
  required: false,
  impact: 'the CV is not sent',
};

function snapshot(
  definitions: ExtensionDefinition[],
  users: CanonicalUser[],
  codes = ['e_order_status', 'e_cv', 'e_other'],
): LuccaAccessSnapshot {
  return {
    keyAccepted: true,
    visibleEmployees: users.length,
    formerEmployees: null,
    futureEmployees: null,
    codes: observeCodes(users, codes),
    definitions: new Map(definitions.map((d) => [d.code!.toLowerCase(), d])),
    sample: users,
  };
}
const withStatus: CanonicalUser[] = [
  { id: 1, extendedData: {} },
  { id: 2, extendedData: { e_order_status: { id: 15000, value: 8400 } } },
];
const list = (formatKey: string): ExtensionDefinition => ({
  code: 'e_order_status',
  name: 'Statut',
  formatKey,
  isMultiple: false,
  extensionUserPropertyListEntries: ENTRIES,
});
const severities = (s: LuccaAccessSnapshot, d: ExpectedData) => extendedDataFindings(s, d).map((f) => [f.code, f.severity]);

describe('extended-data findings: FAIL only on certain evidence', () => {
  it.each(['select', 'radio', 'list', 'SELECT'])('a list described as %s is a list: ok', (key) => {
    expect(severities(snapshot([list(key)], withStatus), STATUS)).toEqual([['lucca.data-ok', 'ok']]);
  });

  it('visibility is judged on every employee read, not the first one', () => {
    // The first employee has no value and this Lucca leaves unset data out: the second one proves the key sees it.
    expect(severities(snapshot([list('select')], withStatus), STATUS)).toEqual([['lucca.data-ok', 'ok']]);
  });

  it('a documented non-list format is certain: blocking, with the recreate advice', () => {
    const [f] = extendedDataFindings(
      snapshot([{ code: 'e_order_status', formatKey: 'boolean', extensionUserPropertyListEntries: [] }], withStatus),
      STATUS,
    );
    expect(f).toMatchObject({ code: 'lucca.data-wrong-format', severity: 'blocking' });
    expect(f!.fix).toContain('recreate it');
  });

  it('an undocumented format key is a warning that says what was seen, never "recreate"', () => {
    const users: CanonicalUser[] = [{ id: 1, extendedData: { e_cv: { id: 1, value: 'a-guid' } } }];
    const findings = extendedDataFindings(snapshot([{ code: 'e_cv', formatKey: 'attachment', isMultiple: false }], users), CV);
    expect(findings.map((f) => [f.code, f.severity])).toEqual([['lucca.data-format-unconfirmed', 'warning']]);
    expect(findings[0]!.detail).toContain('formatKey "attachment"');
    expect(findings[0]!.fix).toMatch(/^To confirm:/);
    expect(findings[0]!.fix).not.toMatch(/recreate|delete/i);
  });

  it('absent from every employee in a Lucca that leaves unset data out: a warning saying how to confirm', () => {
    const users: CanonicalUser[] = [
      { id: 1, extendedData: {} },
      { id: 2, extendedData: { e_other: { id: 3, value: 'x' } } },
    ];
    const [f] = extendedDataFindings(snapshot([list('select')], users), STATUS);
    expect(f).toMatchObject({ code: 'lucca.section-unconfirmed', severity: 'warning' });
    expect(f!.detail).toContain('None of the 2 employee(s) read');
    expect(f!.fix).toMatch(/^To confirm:/);
  });

  it('absent from every employee while this Lucca answers other unset codes with null: blocking', () => {
    const users: CanonicalUser[] = [
      { id: 1, extendedData: { e_other: null as never } },
      { id: 2, extendedData: { e_other: null as never } },
    ];
    const [f] = extendedDataFindings(snapshot([list('select')], users), STATUS);
    expect(f).toMatchObject({ code: 'lucca.section-hidden', severity: 'blocking' });
    expect(f!.detail).toContain('left e_order_status out for all 2 employee(s) read');
  });

  it('a list entry missing from the definition is certain: blocking', () => {
    const def = { ...list('radio'), extensionUserPropertyListEntries: ENTRIES.slice(0, 1) };
    expect(severities(snapshot([def], withStatus), STATUS)).toEqual([['lucca.list-entry-missing', 'blocking']]);
  });

  it('a code missing from the definitions collection is certain: blocking with the create advice', () => {
    const [f] = extendedDataFindings(snapshot([], withStatus), STATUS);
    expect(f).toMatchObject({ code: 'lucca.data-missing', severity: 'blocking' });
    expect(f!.fix).toContain('add the data');
  });
});
