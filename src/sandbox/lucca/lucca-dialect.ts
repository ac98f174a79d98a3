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
}

export const DOCUMENTED_DIALECT: LuccaDialect = Object.freeze({ listFormatKey: 'documented', unsetExtendedData: 'null', idCasing: 'doc', defaultPageSize: 1000, referenceValues: 'bare' });

/** One dialect per undocumented point, plus the old simulator and everything uncertain at once. */
export const LUCCA_DIALECTS: Readonly<Record<string, LuccaDialect>> = Object.freeze({
  documented: DOCUMENTED_DIALECT,
  'old-simulator': { ...DOCUMENTED_DIALECT, listFormatKey: 'list' },
  'select-only': { ...DOCUMENTED_DIALECT, listFormatKey: 'select' },
  'unset-omitted': { ...DOCUMENTED_DIALECT, unsetExtendedData: 'omitted' },
  'upper-id-casing': { ...DOCUMENTED_DIALECT, idCasing: 'upper' },
  'framework-paging': { ...DOCUMENTED_DIALECT, defaultPageSize: 10 },
  'object-references': { ...DOCUMENTED_DIALECT, referenceValues: 'object' },
  'all-undocumented': { listFormatKey: 'select', unsetExtendedData: 'omitted', idCasing: 'upper', defaultPageSize: 10, referenceValues: 'object' },
});

/** The wire `formatKey` of a definition stored with our internal kind. */
export function wireFormatKey(dialect: LuccaDialect, formatKey: string, listEntries: number): string {
  if (formatKey !== 'list' || dialect.listFormatKey === 'list') return formatKey;
  if (dialect.listFormatKey === 'select') return 'select';
  return listEntries === 2 ? 'radio' : 'select';
}
