import { randomUUID } from 'node:crypto';
import { parisDay, toDay, toNaiveDateTime } from './lucca-dates';
import { DOCUMENTED_DIALECT, type LuccaDialect } from './lucca-dialect';

/**
 * In-memory data of one Lucca domain, as the v3 API exposes it. Tests of later features mutate it
 * directly (hire, fire, delete, tick a checkbox) to simulate HR admins working in Lucca.
 */

export type Gender = 'Male' | 'Female' | 'Undefined' | 'Misc';

export interface LuccaUser {
  id: number;
  firstName: string;
  lastName: string;
  mail: string | null;
  personalEmail: string | null;
  login: string | null;
  employeeNumber: string | null;
  jobTitle: string | null;
  managerId: number | null;
  departmentId: number | null;
  legalEntityId: number | null;
  /** Dates are "YYYY-MM-DD" in the store, "YYYY-MM-DDT00:00:00" on the wire. */
  dtContractStart: string | null;
  dtContractEnd: string | null;
  birthDate: string | null;
  civilTitle: string | null;
  gender: Gender | null;
  /** LCID: 1036 fr-FR, 1033 en-US, ... */
  cultureID: number;
  directLine: string | null;
  professionalMobile: string | null;
  personalMobile: string | null;
  /** Naive Paris date-time "YYYY-MM-DDTHH:mm:ss.SSS". */
  modifiedAt: string;
}

export type NewLuccaUser = Partial<Omit<LuccaUser, 'firstName' | 'lastName'>> & Pick<LuccaUser, 'firstName' | 'lastName'>;

export interface Department {
  id: number;
  name: string;
}

export interface LegalEntity {
  id: number;
  name: string;
}

export type ExtensionFormatKey = 'text' | 'boolean' | 'list' | 'date' | 'file' | 'user' | 'integer';

export interface ListEntry {
  id: number;
  name: string;
  /** All languages, as Lucca returns it; here the French label. */
  translation: string;
}

export interface ExtensionDefinition {
  id: number;
  code: string;
  name: string;
  formatKey: ExtensionFormatKey;
  isMultiple: boolean;
  entries: ListEntry[];
  /** HR-file section holding the data ("Elevo", "Background check"); rights are granted per section. */
  section?: string;
}

/** text → string; boolean → boolean; list → entry id; date → "YYYY-MM-DDT00:00:00"; file → GUID; user/integer → number. */
export type ExtendedScalar = string | number | boolean;

export interface ExtendedValue {
  id: number;
  value: ExtendedScalar;
}

export type ExtendedEntry = ExtendedValue | ExtendedValue[];

export interface StoredFile {
  name: string;
  contentType: string;
  bytes: Buffer;
}

export interface ApiKeyPermissions {
  /** "See former employees": false → `formerEmployees=true` silently returns none. */
  formerEmployees: boolean;
  /** "See future employees". */
  futureEmployees: boolean;
  /** Sections (by name) or e_ codes the key may read; others are silently omitted. */
  readableSections: 'all' | string[];
  /** Sections (by name) or e_ codes the key may write; writing others → 403. */
  writableSections: 'all' | string[];
}

export interface ApiKey {
  key: string;
  name: string;
  permissions: ApiKeyPermissions;
}

export interface LuccaTenantStoreOptions {
  /** Wire casing of managerId/departmentId/legalEntityId; real tenants were seen with both. */
  idCasing?: 'doc' | 'upper';
  /** The answers where Lucca's docs leave room (default: the documented ones); `idCasing` wins over its casing. */
  dialect?: Partial<LuccaDialect>;
  now?: () => Date;
  /** Display name of the company (legal entity default). */
  companyName?: string;
  /**
   * Whether writing `e_` data moves the user's `modifiedAt` (default true). Lucca's docs do not say:
   * tests run the change feed against both variants (docs/freshness.md).
   */
  extendedDataMovesModifiedAt?: boolean;
}

export const DEFAULT_PERMISSIONS: ApiKeyPermissions = Object.freeze({
  formerEmployees: true,
  futureEmployees: true,
  readableSections: 'all',
  writableSections: 'all',
});

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export type UserStatus = 'current' | 'former' | 'future';

/** An employee created, changed or deleted in the store (what the newer Lucca API turns into events). */
export interface LuccaUserChange {
  kind: 'created' | 'updated' | 'deleted';
  user: LuccaUser;
  /** Values before an update, for the attributes that changed. */
  previous?: Partial<LuccaUser>;
}

export class LuccaTenantStore {
  readonly users = new Map<number, LuccaUser>();
  readonly departments = new Map<number, Department>();
  readonly legalEntities = new Map<number, LegalEntity>();
  /** By code (codes are matched case-insensitively through `definition()`). */
  readonly definitions = new Map<string, ExtensionDefinition>();
  /** userId → code → value(s). */
  readonly extendedData = new Map<number, Map<string, ExtendedEntry>>();
  /** Lower-cased GUID → file. */
  readonly files = new Map<string, StoredFile>();
  /** Lower-cased GUID → key. */
  readonly apiKeys = new Map<string, ApiKey>();

  dialect: LuccaDialect;
  now: () => Date;
  companyName: string;
  extendedDataMovesModifiedAt: boolean;

  private nextUserId = 1;
  private readonly userListeners = new Set<(change: LuccaUserChange) => void>();
  private nextValueId = 15_000;
  private nextDefinitionId = 40;
  private nextListEntryId = 8_400;

  constructor(options: LuccaTenantStoreOptions = {}) {
    this.dialect = { ...DOCUMENTED_DIALECT, ...options.dialect, ...(options.idCasing ? { idCasing: options.idCasing } : {}) };
    this.now = options.now ?? (() => new Date());
    this.companyName = options.companyName ?? 'Sandbox SAS';
    this.extendedDataMovesModifiedAt = options.extendedDataMovesModifiedAt ?? true;
  }

  /** Kept for callers that only switch the casing. */
  get idCasing(): 'doc' | 'upper' {
    return this.dialect.idCasing;
  }

  set idCasing(casing: 'doc' | 'upper') {
    this.dialect = { ...this.dialect, idCasing: casing };
  }

  // ---- API keys -------------------------------------------------------------------------------

  addApiKey(key: string, name = 'Integration key', permissions: Partial<ApiKeyPermissions> = {}): ApiKey {
    if (!isGuid(key)) throw new Error('A Lucca API key must be a GUID');
    const apiKey: ApiKey = { key, name, permissions: { ...DEFAULT_PERMISSIONS, ...permissions } };
    this.apiKeys.set(key.toLowerCase(), apiKey);
    return apiKey;
  }

  setApiKeyPermissions(key: string, permissions: Partial<ApiKeyPermissions>): void {
    const apiKey = this.apiKeys.get(key.toLowerCase());
    if (!apiKey) throw new Error('Unknown API key');
    apiKey.permissions = { ...apiKey.permissions, ...permissions };
  }

  findApiKey(key: string): ApiKey | undefined {
    return this.apiKeys.get(key.toLowerCase());
  }

  // ---- reference data -------------------------------------------------------------------------

  addDepartment(name: string, id?: number): Department {
    const dep = { id: id ?? this.departments.size + 1, name };
    this.departments.set(dep.id, dep);
    return dep;
  }

  addLegalEntity(name: string, id?: number): LegalEntity {
    const le = { id: id ?? this.legalEntities.size + 1, name };
    this.legalEntities.set(le.id, le);
    return le;
  }

  // ---- users ----------------------------------------------------------------------------------

  /** Calls `listener` after each user creation, update or deletion (not for extended data); returns an unsubscribe. */
  onUserChange(listener: (change: LuccaUserChange) => void): () => void {
    this.userListeners.add(listener);
    return () => this.userListeners.delete(listener);
  }

  private emit(change: LuccaUserChange): void {
    for (const listener of this.userListeners) listener(change);
  }

  private stamp(): string {
    return toNaiveDateTime(this.now());
  }

  /** Paris calendar day of the store clock: decides former / current / future. */
  today(): string {
    return parisDay(this.now());
  }

  addUser(input: NewLuccaUser): LuccaUser {
    const id = input.id ?? this.nextUserId;
    if (this.users.has(id)) throw new Error(`User ${id} already exists`);
    this.nextUserId = Math.max(this.nextUserId, id + 1);
    const user: LuccaUser = {
      id,
      firstName: input.firstName,
      lastName: input.lastName,
      mail: input.mail ?? null,
      personalEmail: input.personalEmail ?? null,
      login: input.login ?? null,
      employeeNumber: input.employeeNumber ?? null,
      jobTitle: input.jobTitle ?? null,
      managerId: input.managerId ?? null,
      departmentId: input.departmentId ?? null,
      legalEntityId: input.legalEntityId ?? null,
      dtContractStart: normaliseDay(input.dtContractStart),
      dtContractEnd: normaliseDay(input.dtContractEnd),
      birthDate: normaliseDay(input.birthDate),
      civilTitle: input.civilTitle ?? null,
      gender: input.gender ?? null,
      cultureID: input.cultureID ?? 1036,
      directLine: input.directLine ?? null,
      professionalMobile: input.professionalMobile ?? null,
      personalMobile: input.personalMobile ?? null,
      modifiedAt: input.modifiedAt ?? this.stamp(),
    };
    this.users.set(id, user);
    this.emit({ kind: 'created', user });
    return user;
  }

  getUser(id: number): LuccaUser | undefined {
    return this.users.get(id);
  }

  /** Partial update; bumps modifiedAt (unless the patch sets it). */
  updateUser(id: number, patch: Partial<Omit<LuccaUser, 'id'>>): LuccaUser {
    const user = this.mustGetUser(id);
    const next: LuccaUser = { ...user, ...patch, id, modifiedAt: patch.modifiedAt ?? this.stamp() };
    if ('dtContractStart' in patch) next.dtContractStart = normaliseDay(patch.dtContractStart);
    if ('dtContractEnd' in patch) next.dtContractEnd = normaliseDay(patch.dtContractEnd);
    if ('birthDate' in patch) next.birthDate = normaliseDay(patch.birthDate);
    this.users.set(id, next);
    this.emit({ kind: 'updated', user: next, previous: changedAttributes(user, next) });
    return next;
  }

  /** The user vanishes with its extended data: 404 afterwards, absent from every list (no tombstone). */
  deleteUser(id: number): void {
    const user = this.mustGetUser(id);
    this.users.delete(id);
    this.extendedData.delete(id);
    this.emit({ kind: 'deleted', user });
  }

  touchUser(id: number): void {
    this.mustGetUser(id).modifiedAt = this.stamp();
  }

  /** After an `e_` write: moves `modifiedAt` only in the variant where Lucca does so (unknown). */
  touchForExtendedData(id: number): void {
    if (this.extendedDataMovesModifiedAt) this.touchUser(id);
  }

  statusOf(user: LuccaUser, today = this.today()): UserStatus {
    if (user.dtContractEnd !== null && user.dtContractEnd < today) return 'former';
    if (user.dtContractStart !== null && user.dtContractStart > today) return 'future';
    return 'current';
  }

  private mustGetUser(id: number): LuccaUser {
    const user = this.users.get(id);
    if (!user) throw new Error(`Unknown user ${id}`);
    return user;
  }

  // ---- extension definitions ------------------------------------------------------------------

  /**
   * Defines an `e_` code. List entries get ids from a sparse sequence (8400, 8413, ...) so clients
   * cannot get away with treating entry ids as indexes.
   */
  addDefinition(def: {
    code: string;
    name: string;
    formatKey: ExtensionFormatKey;
    isMultiple?: boolean;
    entries?: string[];
    id?: number;
    section?: string;
  }): ExtensionDefinition {
    if (!/^e_[A-Za-z0-9_-]+$/.test(def.code)) throw new Error(`Extended-data codes start with "e_": ${def.code}`);
    const entries = (def.entries ?? []).map((label) => {
      const id = this.nextListEntryId;
      this.nextListEntryId += 7 + ((id * 31) % 17);
      return { id, name: label, translation: label };
    });
    const definition: ExtensionDefinition = {
      id: def.id ?? this.nextDefinitionId++,
      code: def.code,
      name: def.name,
      formatKey: def.formatKey,
      isMultiple: def.isMultiple ?? false,
      entries,
      ...(def.section ? { section: def.section } : {}),
    };
    this.definitions.set(def.code, definition);
    return definition;
  }

  /** Case-insensitive lookup, as Lucca field names are. */
  definition(code: string): ExtensionDefinition | undefined {
    const exact = this.definitions.get(code);
    if (exact) return exact;
    const lower = code.toLowerCase();
    for (const def of this.definitions.values()) if (def.code.toLowerCase() === lower) return def;
    return undefined;
  }

  listEntryIdByLabel(code: string, label: string): number {
    const def = this.definition(code);
    const entry = def?.entries.find((e) => e.name === label);
    if (!def || !entry) throw new Error(`No list entry "${label}" for ${code}`);
    return entry.id;
  }

  /** An admin deleting a list entry: values that pointed at it keep a dangling entry id. */
  removeListEntry(code: string, label: string): void {
    const def = this.definition(code);
    if (!def || !def.entries.some((e) => e.name === label)) throw new Error(`No list entry "${label}" for ${code}`);
    def.entries = def.entries.filter((e) => e.name !== label);
  }

  listEntryLabel(code: string, entryId: number): string | undefined {
    return this.definition(code)?.entries.find((e) => e.id === entryId)?.name;
  }

  // ---- extended data --------------------------------------------------------------------------

  newValueId(): number {
    // Values ids of one Lucca tenant are global and not contiguous per user.
    const id = this.nextValueId;
    this.nextValueId += 1 + (id % 3);
    return id;
  }

  getExtendedValue(userId: number, code: string): ExtendedEntry | undefined {
    const def = this.definition(code);
    return def ? this.extendedData.get(userId)?.get(def.code) : undefined;
  }

  /** Raw stored value(s) for one user, by canonical code. */
  extendedDataOf(userId: number): Map<string, ExtendedEntry> {
    return this.extendedData.get(userId) ?? new Map<string, ExtendedEntry>();
  }

  /**
   * Test/seed helper: sets a value (single) or the full list of values (multiple). For list data a
   * label may be given instead of the entry id. A single value keeps its value id when it exists.
   * Does NOT validate like the PUT endpoint does, on purpose: tests may need malformed data.
   */
  setExtendedValue(
    userId: number,
    code: string,
    value: ExtendedScalar | ExtendedScalar[],
    options: { touch?: boolean } = {},
  ): ExtendedEntry {
    this.mustGetUser(userId);
    const def = this.definition(code);
    if (!def) throw new Error(`Unknown extended-data code ${code}`);
    const resolve = (v: ExtendedScalar): ExtendedScalar =>
      def.formatKey === 'list' && typeof v === 'string' ? this.listEntryIdByLabel(def.code, v) : v;
    let entry: ExtendedEntry;
    if (def.isMultiple) {
      const values = Array.isArray(value) ? value : [value];
      entry = values.map((v) => ({ id: this.newValueId(), value: resolve(v) }));
    } else {
      if (Array.isArray(value)) throw new Error(`${code} is not a multiple-occurrence code`);
      const existing = this.getExtendedValue(userId, def.code);
      const id = existing && !Array.isArray(existing) ? existing.id : this.newValueId();
      entry = { id, value: resolve(value) };
    }
    this.writeEntry(userId, def.code, entry);
    if (options.touch !== false) this.touchForExtendedData(userId);
    return entry;
  }

  clearExtendedValue(userId: number, code: string, options: { touch?: boolean } = {}): void {
    const def = this.definition(code);
    if (!def) throw new Error(`Unknown extended-data code ${code}`);
    this.writeEntry(userId, def.code, undefined);
    if (options.touch !== false) this.touchForExtendedData(userId);
  }

  /** Low-level write used by the PUT endpoint (after validation) and the helpers above. */
  writeEntry(userId: number, code: string, entry: ExtendedEntry | undefined): void {
    let values = this.extendedData.get(userId);
    if (!values) {
      values = new Map();
      this.extendedData.set(userId, values);
    }
    if (entry === undefined || (Array.isArray(entry) && entry.length === 0)) values.delete(code);
    else values.set(code, entry);
  }

  // ---- files ----------------------------------------------------------------------------------

  addFile(bytes: Buffer, name: string, contentType = 'application/octet-stream', guid: string = randomUUID()): string {
    this.files.set(guid.toLowerCase(), { name, contentType, bytes });
    return guid;
  }

  getFile(guid: string): StoredFile | undefined {
    return this.files.get(guid.toLowerCase());
  }
}

function changedAttributes(before: LuccaUser, after: LuccaUser): Partial<LuccaUser> {
  const keys = (Object.keys(after) as Array<keyof LuccaUser>).filter((k) => k !== 'modifiedAt' && before[k] !== after[k]);
  return Object.fromEntries(keys.map((k) => [k, before[k]]));
}

function normaliseDay(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const day = toDay(value);
  if (!day) throw new Error('Dates must be "YYYY-MM-DD" or a naive ISO date-time');
  return day;
}
