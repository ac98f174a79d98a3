import { z } from 'zod';
import { toDay } from './lucca-dates';
import { canWrite } from './lucca-user-projection';
import {
  isGuid,
  type ApiKeyPermissions,
  type ExtendedEntry,
  type ExtendedScalar,
  type ExtendedValue,
  type ExtensionDefinition,
  type LuccaTenantStore,
} from './lucca-tenant-store';

/**
 * `PUT /api/v3/users/{id}` for extended data (lucca-api.md §3.3): `e_` keys at the root of the
 * body; `{value}` (no id or id 0) creates, `{id, value}` updates, `{id, value: null}` deletes;
 * multiple-occurrence codes take the full array of occurrences. Everything is validated before
 * anything is written, so a 400 leaves the user untouched.
 *
 * Choices where the docs are silent: bare values (`"e_x": "AB"`) are refused (400); `{value}`
 * without id on a single code that already has a value replaces it under a new value id;
 * non-`e_` root keys (including an `extendedData` object or a `data` wrapper) are ignored.
 */

export class ExtendedDataWriteError extends Error {
  constructor(
    readonly status: 400 | 403,
    message: string,
  ) {
    super(message);
    this.name = 'ExtendedDataWriteError';
  }
}

const occurrenceSchema = z.object({ id: z.number().int().min(0).nullable().optional(), value: z.unknown() }).strict();
type Occurrence = z.infer<typeof occurrenceSchema>;

function bad(message: string): never {
  throw new ExtendedDataWriteError(400, message);
}

function validateValue(store: LuccaTenantStore, def: ExtensionDefinition, value: unknown): ExtendedScalar {
  const code = def.code;
  switch (def.formatKey) {
    case 'text':
      if (typeof value !== 'string') bad(`${code}: a text value must be a string`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') bad(`${code}: a checkbox value must be true or false`);
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) bad(`${code}: an integer value must be an integer`);
      return value;
    case 'list':
      if (typeof value !== 'number' || !def.entries.some((e) => e.id === value))
        bad(`${code}: value must be the id of one of the list entries`);
      return value;
    case 'date': {
      const day = typeof value === 'string' ? toDay(value) : null;
      if (!day) bad(`${code}: a date value must be an ISO date`);
      return `${day}T00:00:00`;
    }
    case 'file':
      if (typeof value !== 'string' || !isGuid(value) || !store.getFile(value)) bad(`${code}: value must be the GUID of an uploaded file`);
      return value;
    case 'user':
      if (typeof value !== 'number' || !store.getUser(value)) bad(`${code}: value must be the id of an existing user`);
      return value;
  }
}

function parseOccurrence(code: string, raw: unknown): Occurrence {
  const parsed = occurrenceSchema.safeParse(raw);
  if (!parsed.success) bad(`${code}: extended data must be written as {"id"?: number, "value": ...}`);
  if (!('value' in (raw as object))) bad(`${code}: "value" is required`);
  return parsed.data;
}

function planSingle(
  store: LuccaTenantStore,
  def: ExtensionDefinition,
  existing: ExtendedEntry | undefined,
  raw: unknown,
): ExtendedEntry | undefined {
  if (Array.isArray(raw)) bad(`${def.code} is not a multiple-occurrence field: send one {id, value} object`);
  const occ = parseOccurrence(def.code, raw);
  const current = existing && !Array.isArray(existing) ? existing : undefined;
  const id = occ.id ?? 0;
  if (id === 0) {
    if (occ.value === null) return undefined;
    return { id: store.newValueId(), value: validateValue(store, def, occ.value) };
  }
  if (!current || current.id !== id) bad(`${def.code}: value id ${id} does not exist for this user`);
  if (occ.value === null) return undefined;
  return { id, value: validateValue(store, def, occ.value) };
}

function planMultiple(
  store: LuccaTenantStore,
  def: ExtensionDefinition,
  existing: ExtendedEntry | undefined,
  raw: unknown,
): ExtendedEntry | undefined {
  if (!Array.isArray(raw)) bad(`${def.code} is a multiple-occurrence field: send the full array of occurrences`);
  const currentIds = new Set((Array.isArray(existing) ? existing : existing ? [existing] : []).map((v) => v.id));
  const seen = new Set<number>();
  const result: ExtendedValue[] = [];
  for (const item of raw) {
    const occ = parseOccurrence(def.code, item);
    const id = occ.id ?? 0;
    if (id !== 0) {
      if (!currentIds.has(id) || seen.has(id)) bad(`${def.code}: value id ${id} does not exist for this user`);
      seen.add(id);
    }
    if (occ.value === null) continue;
    const value = validateValue(store, def, occ.value);
    result.push({ id: id !== 0 ? id : store.newValueId(), value });
  }
  return result.length > 0 ? result : undefined;
}

/** Validates then applies; returns the canonical codes written. */
export function writeExtendedData(store: LuccaTenantStore, userId: number, body: unknown, permissions: ApiKeyPermissions): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) bad('Request body must be a JSON object');
  const planned: Array<{ code: string; entry: ExtendedEntry | undefined }> = [];
  for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
    if (!key.toLowerCase().startsWith('e_')) continue;
    const def = store.definition(key);
    if (!def) bad(`Unknown extended data ${key}`);
    if (!canWrite(permissions, def.code, def.section)) {
      // A dialect where Lucca answers 200 and stores nothing (docs/external-apis.md L22).
      if (store.dialect.writeWithoutRight === 'ignored') continue;
      throw new ExtendedDataWriteError(403, `This API key may not edit ${def.code}`);
    }
    const existing = store.getExtendedValue(userId, def.code);
    const entry = def.isMultiple ? planMultiple(store, def, existing, raw) : planSingle(store, def, existing, raw);
    planned.push({ code: def.code, entry });
  }
  for (const { code, entry } of planned) store.writeEntry(userId, code, entry);
  if (planned.length > 0) store.touchForExtendedData(userId);
  return planned.map((p) => p.code);
}
