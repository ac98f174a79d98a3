import { interpretValue, occurrences } from '../../../integrations/lucca/extended-data';
import type { ExtensionDefinition } from '../../../integrations/lucca/lucca-schemas';
import {
  readExtendedData,
  readFieldPath,
  toIsoDate,
  toNullableInt,
  toNullableString,
  type CanonicalUser,
} from '../../../integrations/lucca/lucca-user-fields';
import type { SourceEmployee } from './sync-model';

/**
 * From Lucca users (canonical v3 shape) to the sync's SourceEmployee, reading only what the
 * Elevo sync needs: the fixed fields of the brief, the exclusion checkbox and the tenant's extra
 * text fields (any Lucca path, `e_` list values as labels).
 */
export interface SourceMappingOptions {
  exclusionFieldCode: string;
  /** Elevo custom field key -> Lucca field path. */
  extraFields: Record<string, string>;
  /** Definitions of the `e_` codes used (for list labels and checkbox type). */
  definitions: Map<string, ExtensionDefinition>;
}

const BASE_FIELDS = [
  'id',
  'firstName',
  'lastName',
  'mail',
  'employeeNumber',
  'jobTitle',
  'managerId',
  'department[id,name]',
  'dtContractStart',
  'dtContractEnd',
];

/** The `fields=` selection: nothing more than the mapping reads (data minimisation, smaller pages). */
export function luccaFieldSelection(options: Pick<SourceMappingOptions, 'exclusionFieldCode' | 'extraFields'>): string[] {
  const extendedCodes = new Set<string>([options.exclusionFieldCode]);
  const nested = new Map<string, Set<string>>();
  const plain = new Set<string>(BASE_FIELDS);
  for (const path of Object.values(options.extraFields)) {
    const [head, ...rest] = path.split('.');
    if (!head) continue;
    if (head.toLowerCase() === 'extendeddata' && rest[0]) extendedCodes.add(rest[0]);
    else if (rest.length > 0) {
      const set = nested.get(head) ?? new Set<string>(['id']);
      set.add(rest.join('.'));
      nested.set(head, set);
    } else plain.add(head);
  }
  for (const [head, subs] of nested) {
    plain.delete(`${head}[id,name]`);
    plain.add(`${head}[${[...subs, ...(head === 'department' ? ['name'] : [])].filter((v, i, a) => a.indexOf(v) === i).join(',')}]`);
  }
  return [...plain, `extendedData[${[...extendedCodes].join(',')}]`];
}

/** The `e_` codes whose definitions are needed (one request each, cached per run). */
export function extendedCodesUsed(options: Pick<SourceMappingOptions, 'exclusionFieldCode' | 'extraFields'>): string[] {
  const codes = new Set<string>([options.exclusionFieldCode]);
  for (const path of Object.values(options.extraFields)) {
    const [head, code] = path.split('.');
    if (head?.toLowerCase() === 'extendeddata' && code) codes.add(code);
  }
  return [...codes];
}

export function toSourceEmployee(user: CanonicalUser, options: SourceMappingOptions): SourceEmployee | undefined {
  const luccaId = toNullableInt(user.id);
  if (luccaId === null) return undefined; // not an employee record we can identify
  const extraFields: Record<string, string | null> = {};
  for (const [key, path] of Object.entries(options.extraFields)) extraFields[key] = readTextAtPath(user, path, options.definitions);
  const department = readFieldPath(user, 'department.name');
  return {
    luccaId,
    firstName: toNullableString(user.firstName),
    lastName: toNullableString(user.lastName),
    email: toNullableString(user.mail),
    employeeNumber: toNullableString(user.employeeNumber),
    jobTitle: toNullableString(user.jobTitle),
    managerLuccaId: toNullableInt(user.managerId),
    department: toNullableString(department),
    contractStart: toSourceDate(user.dtContractStart),
    contractEnd: toSourceDate(user.dtContractEnd),
    excluded: isTicked(readExtendedData(user, options.exclusionFieldCode)),
    extraFields,
  };
}

/** YYYY-MM-DD; an unreadable date is kept as text so validation reports it rather than reading "no date". */
function toSourceDate(value: unknown): string | null {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) return null;
  return toIsoDate(value) ?? (typeof value === 'string' ? value : JSON.stringify(value));
}

function isTicked(entry: ReturnType<typeof readExtendedData>): boolean {
  return checkboxState(entry) === 'ticked';
}

/**
 * A checkbox as Lucca may send it: `true`/`false` is our reading (docs/external-apis.md L23); the
 * strings `"true"`/`"false"` and `1`/`0` (or `"1"`/`"0"`) are read the same. Anything else is
 * unreadable, and the caller refuses it rather than reading "not ticked". Ticked anywhere wins.
 */
export function checkboxState(entry: ReturnType<typeof readExtendedData>): 'ticked' | 'unticked' | 'unreadable' {
  const states = occurrences(entry).map((v) => checkboxValueState(v.value));
  if (states.includes('ticked')) return 'ticked';
  return states.includes('unreadable') ? 'unreadable' : 'unticked';
}

function checkboxValueState(value: unknown): 'ticked' | 'unticked' | 'unreadable' {
  if (value === true || value === 1) return 'ticked';
  if (value === false || value === 0 || value === null || value === undefined) return 'unticked';
  const text = typeof value === 'string' ? value.trim().toLowerCase() : null;
  if (text === 'true' || text === '1') return 'ticked';
  return text === 'false' || text === '0' || text === '' ? 'unticked' : 'unreadable';
}

function readTextAtPath(user: CanonicalUser, path: string, definitions: Map<string, ExtensionDefinition>): string | null {
  const [head, code] = path.split('.');
  if (head?.toLowerCase() === 'extendeddata' && code) {
    const definition = definitions.get(code.toLowerCase());
    const texts = occurrences(readExtendedData(user, code))
      .map((v) => interpretValue(definition, v).text)
      .filter((t): t is string => t !== null);
    return texts.length ? texts.join(', ') : null;
  }
  const value = readFieldPath(user, path);
  if (value && typeof value === 'object' && 'name' in value) return toNullableString(value.name);
  return toNullableString(value);
}
