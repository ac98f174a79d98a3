/**
 * How a simulated Lucca answers where Lucca's documentation leaves room (see docs/external-apis.md).
 * Every connector and `tenants check` run against each dialect in test/integration/lucca-dialects,
 * so a belief of ours that a real tenant contradicts fails a test instead of a customer's run.
 */
export interface LuccaDialect {
  /**
   * `formatKey` of list data in the definitions: `documented` = `select`, or `radio` when the list
   * has two entries (UserProperties guide); `select` always; `list` (the name this simulator used
   * to give, never documented).
   */
  listFormatKey: 'documented' | 'select' | 'list';
  /** A readable code selected explicitly but unset: `null` (`[]` when multiple), or left out of `extendedData`. */
  unsetExtendedData: 'null' | 'omitted';
  /** `managerId` (doc) or `managerID` (seen in a public client's schema); also departmentId, legalEntityId. */
  idCasing: 'doc' | 'upper';
  /** Page size without `paging`: the documented 1000, or 10 (Lucca's framework default). Users and definitions. */
  defaultPageSize: number;
  /**
   * Attachment and user-reference values: bare (a file GUID, a user id — our reading) or objects
   * `{id, name, url}` like the user's `picture` and `manager` (the docs show neither for `e_` data).
   */
  referenceValues: 'bare' | 'object';
  /** Contract dates: naive Paris wall-clock (`2014-09-01T00:00:00`, our reading) or the UTC instant of that midnight (`2014-08-31T22:00:00Z`). */
  dates: 'naive' | 'utc-instant';
  /** `fields=extendedData[e_a,e_b]`: only those codes (our reading), or the selection ignored and every readable code with a value returned. */
  extendedDataSelection: 'codes' | 'ignored';
  /** The multiple-occurrence flag of a definition: `isMultiple` (our simulator's name) or `isMultivalue` (UserProperties' name). */
  multipleFlag: 'isMultiple' | 'isMultivalue';
  /** Writing a section the key may not edit: 403 (our reading), or 200 with nothing stored. */
  writeWithoutRight: 'forbidden' | 'ignored';
  /** Checkbox values on the wire: `true`/`false` (our reading), `"true"`/`"false"`, `1`/`0`, or labels `"Oui"`/`"Non"`. */
  checkboxValues: 'boolean' | 'string' | 'number' | 'label';
  /** Where attachments download: `/api/v3/files/{guid}` (inferred from `picture.url`), or elsewhere (`/api/v3/files/…` answers 404). */
  filesPath: '/api/v3/files' | '/api/v3/documents';
}

export const DOCUMENTED_DIALECT: LuccaDialect = Object.freeze({
  listFormatKey: 'documented',
  unsetExtendedData: 'null',
  idCasing: 'doc',
  defaultPageSize: 1000,
  referenceValues: 'bare',
  dates: 'naive',
  extendedDataSelection: 'codes',
  multipleFlag: 'isMultiple',
  writeWithoutRight: 'forbidden',
  checkboxValues: 'boolean',
  filesPath: '/api/v3/files',
} as const);

/** One dialect per undocumented point, plus the old simulator and everything uncertain at once. */
export const LUCCA_DIALECTS: Readonly<Record<string, LuccaDialect>> = Object.freeze({
  documented: DOCUMENTED_DIALECT,
  'old-simulator': { ...DOCUMENTED_DIALECT, listFormatKey: 'list' },
  'select-only': { ...DOCUMENTED_DIALECT, listFormatKey: 'select' },
  'unset-omitted': { ...DOCUMENTED_DIALECT, unsetExtendedData: 'omitted' },
  'upper-id-casing': { ...DOCUMENTED_DIALECT, idCasing: 'upper' },
  'framework-paging': { ...DOCUMENTED_DIALECT, defaultPageSize: 10 },
  'object-references': { ...DOCUMENTED_DIALECT, referenceValues: 'object' },
  'all-undocumented': {
    ...DOCUMENTED_DIALECT,
    listFormatKey: 'select',
    unsetExtendedData: 'omitted',
    idCasing: 'upper',
    defaultPageSize: 10,
    referenceValues: 'object',
  },
});

/**
 * Assumptions the product handles differently per point (or only reports): each has its own test in
 * test/integration/lucca-dialects/lucca-variants.test.ts rather than the whole-connector suite.
 */
export const LUCCA_VARIANTS: Readonly<Record<string, LuccaDialect>> = Object.freeze({
  'utc-dates': { ...DOCUMENTED_DIALECT, dates: 'utc-instant' },
  'selection-ignored': { ...DOCUMENTED_DIALECT, extendedDataSelection: 'ignored' },
  'is-multivalue': { ...DOCUMENTED_DIALECT, multipleFlag: 'isMultivalue' },
  'write-ignored': { ...DOCUMENTED_DIALECT, writeWithoutRight: 'ignored' },
  'checkbox-strings': { ...DOCUMENTED_DIALECT, checkboxValues: 'string' },
  'checkbox-numbers': { ...DOCUMENTED_DIALECT, checkboxValues: 'number' },
  'checkbox-labels': { ...DOCUMENTED_DIALECT, checkboxValues: 'label' },
  'files-elsewhere': { ...DOCUMENTED_DIALECT, filesPath: '/api/v3/documents' },
});

/** The wire `formatKey` of a definition stored with our internal kind. */
export function wireFormatKey(dialect: LuccaDialect, formatKey: string, listEntries: number): string {
  if (formatKey !== 'list' || dialect.listFormatKey === 'list') return formatKey;
  if (dialect.listFormatKey === 'select') return 'select';
  return listEntries === 2 ? 'radio' : 'select';
}
