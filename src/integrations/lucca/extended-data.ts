import type { ExtendedValue, ExtensionDefinition } from './lucca-schemas';
import { toNullableInt } from './lucca-user-fields';

/**
 * Interpretation of Lucca "extended data" (`e_` codes) with the help of their definitions:
 * a list value is a numeric entry id whose label lives in the definition, an attachment is a file
 * GUID, a user reference is a Lucca user id, multiple-occurrence data is an array.
 */
export type ExtendedKind = 'text' | 'list' | 'boolean' | 'date' | 'number' | 'file' | 'user' | 'composite' | 'unknown';

export interface InterpretedValue {
  valueId: number | null;
  kind: ExtendedKind;
  /** Raw typed value: entry id for lists, GUID for files, user id for user references. */
  raw: unknown;
  /** Human-readable text: list label, text, ISO date, "true"/"false"; null when empty. */
  text: string | null;
}

export function kindOf(definition: ExtensionDefinition | undefined): ExtendedKind {
  const key = (definition?.formatKey ?? '').toLowerCase();
  if (definition?.extensionUserPropertyListEntries?.length || ['list', 'select', 'radio'].includes(key)) return 'list';
  if (['text', 'string', 'multilinetext', 'link', 'url'].includes(key)) return 'text';
  if (['boolean', 'checkbox'].includes(key)) return 'boolean';
  if (['date', 'datetime'].includes(key)) return 'date';
  if (['integer', 'decimal', 'number'].includes(key)) return 'number';
  if (['file', 'attachment', 'image'].includes(key)) return 'file';
  if (['user', 'owner'].includes(key)) return 'user';
  if (['composite', 'object'].includes(key)) return 'composite';
  return 'unknown';
}

export function labelOfEntry(definition: ExtensionDefinition | undefined, entryId: unknown): string | null {
  const id = toNullableInt(entryId);
  if (id === null) return null;
  return definition?.extensionUserPropertyListEntries?.find((e) => e.id === id)?.name ?? null;
}

/** A JSON scalar as text; anything else (an object, nothing) has no single text. */
function scalarText(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) || null : null;
}

export function interpretValue(definition: ExtensionDefinition | undefined, value: ExtendedValue): InterpretedValue {
  const kind = kindOf(definition);
  const raw = value.value;
  const valueId = typeof value.id === 'number' && value.id > 0 ? value.id : null;
  let text: string | null;
  if (raw === null || raw === undefined || raw === '') text = null;
  else if (kind === 'list') text = labelOfEntry(definition, raw);
  else if (kind === 'date' && typeof raw === 'string') text = raw.slice(0, 10);
  else if (kind === 'user' && typeof raw === 'object') text = scalarText((raw as { id?: unknown }).id);
  else if (typeof raw === 'object')
    text = null; // composite: no single text
  else text = scalarText(raw);
  return { valueId, kind, raw: kind === 'user' && raw && typeof raw === 'object' ? ((raw as { id?: unknown }).id ?? null) : raw, text };
}

/**
 * The file id of an attachment value: a GUID string (our reading of the docs), or an object with
 * an `id` like the user `picture` (`{id, name, url}`) — the docs do not say which (docs/external-apis.md L24).
 */
export function fileIdOf(value: unknown): string | null {
  const id = value && typeof value === 'object' ? (value as { id?: unknown }).id : value;
  return typeof id === 'string' && id.trim() !== '' ? id.trim() : null;
}

/** Always an array: single-occurrence data becomes one element, absent data none. */
export function occurrences(entry: ExtendedValue | ExtendedValue[] | undefined): ExtendedValue[] {
  if (entry === undefined || entry === null) return [];
  return Array.isArray(entry) ? entry : [entry];
}

/** Body fragment for `PUT /api/v3/users/{id}`: root-level `e_` key, value id kept for updates. */
export interface ExtendedValueWrite {
  id?: number;
  value: unknown;
}

export function listValueWrite(existing: ExtendedValue | undefined, entryId: number | null): ExtendedValueWrite {
  const id = typeof existing?.id === 'number' && existing.id > 0 ? existing.id : undefined;
  return id === undefined ? { value: entryId } : { id, value: entryId };
}
