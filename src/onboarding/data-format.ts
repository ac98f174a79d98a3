import type { ExtensionDefinition } from '../integrations/lucca/lucca-schemas';

/** The kinds of HR-file data the connectors rely on. */
export type DataKind = 'text' | 'boolean' | 'list' | 'file' | 'user' | 'integer' | 'date';

/**
 * `formatKey` values Lucca documents (UserProperties guide: `boolean`, `integer`, lists `select`, or
 * `radio` when the list has two values). Seeing one of them is certain evidence of the kind.
 */
const DOCUMENTED_KEYS: Record<string, DataKind> = { select: 'list', radio: 'list', boolean: 'boolean', integer: 'integer' };

/** Our own names, never seen in Lucca's documentation: seeing one is a hint, not evidence. */
const ASSUMED_KEYS: Record<string, DataKind> = { list: 'list', text: 'text', file: 'file', user: 'user', date: 'date' };

export interface FormatReading {
  /** The kind the definition shows; undefined when its formatKey means nothing we know. */
  kind?: DataKind;
  /** True when the reading rests on documented facts (a documented key, or list entries). */
  certain: boolean;
}

/** What a definition says about its kind, and how sure we can be of it. */
export function readFormat(def: ExtensionDefinition): FormatReading {
  const key = (def.formatKey ?? '').toLowerCase();
  const documented = DOCUMENTED_KEYS[key];
  if (documented) return { kind: documented, certain: true };
  // Only list data has entries (extensionUserPropertyListEntries, documented): a list whatever its key says.
  if ((def.extensionUserPropertyListEntries ?? []).length > 0) return { kind: 'list', certain: true };
  const assumed = ASSUMED_KEYS[key];
  return assumed ? { kind: assumed, certain: false } : { certain: false };
}
