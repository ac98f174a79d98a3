import { FieldSelectionError, type FieldTree } from './lucca-field-selection';
import { dayToWire, parisMidnightUtc } from './lucca-dates';
import type { LuccaDialect } from './lucca-dialect';
import type {
  ApiKeyPermissions,
  ExtendedEntry,
  ExtendedScalar,
  ExtendedValue,
  ExtensionDefinition,
  LuccaTenantStore,
  LuccaUser,
} from './lucca-tenant-store';

/**
 * Renders a stored user as the v3 API does for a given `fields` selection and API key: doc casing
 * (`managerId`, `cultureID`) or the upper variant, naive dates, `{id, value}` extended data, and
 * silent omission of what the key may not read.
 */

export interface ProjectionContext {
  store: LuccaTenantStore;
  permissions: ApiKeyPermissions;
  /** `http://host/<tenant>`, for `url` properties. */
  baseUrl: string;
}

const CULTURES: Record<number, string> = {
  1036: 'français (France)',
  1033: 'English (United States)',
  1031: 'Deutsch (Deutschland)',
  1034: 'español (España)',
  1040: 'italiano (Italia)',
  2057: 'English (United Kingdom)',
};

type Renderer = (user: LuccaUser, ctx: ProjectionContext, sub: FieldTree | null) => unknown;

interface FieldSpec {
  key: (ctx: ProjectionContext) => string;
  render: Renderer;
}

const fixed = (key: string) => () => key;
const idKey = (doc: string) => (ctx: ProjectionContext) => (ctx.store.idCasing === 'upper' ? doc.replace(/Id$/, 'ID') : doc);

/** A contract date: naive Paris wall-clock, or the UTC instant of that Paris midnight (dialect `dates`). */
function contractDate(get: (u: LuccaUser) => string | null): Renderer {
  return (user, ctx, sub) => {
    if (sub) throw new FieldSelectionError('Query parameter is invalid: sub-selection on a scalar field');
    const day = get(user);
    return ctx.store.dialect.dates === 'utc-instant' && day !== null ? parisMidnightUtc(day) : dayToWire(day);
  };
}

function scalar(get: (u: LuccaUser) => unknown): Renderer {
  return (user, _ctx, sub) => {
    if (sub) throw new FieldSelectionError('Query parameter is invalid: sub-selection on a scalar field');
    return get(user);
  };
}

function reference(get: (u: LuccaUser, ctx: ProjectionContext) => { id: number; name: string | null; url: string } | null): Renderer {
  return (user, ctx, sub) => {
    const ref = get(user, ctx);
    if (!sub) return ref;
    const picked: Record<string, unknown> = {};
    for (const [key, node] of sub) {
      if (node.children) throw new FieldSelectionError('Query parameter is invalid: nested selection too deep');
      if (key === 'id' || key === 'name' || key === 'url') picked[key] = ref ? ref[key] : undefined;
      else throw new FieldSelectionError(`Query parameter is invalid: unknown field ${node.spelled}`);
    }
    return ref ? picked : null;
  };
}

const fullName = (u: LuccaUser) => `${u.firstName} ${u.lastName}`;

const FIELDS: Record<string, FieldSpec> = {
  id: { key: fixed('id'), render: scalar((u) => u.id) },
  name: { key: fixed('name'), render: scalar(fullName) },
  displayname: { key: fixed('displayName'), render: scalar((u) => `${u.lastName} ${u.firstName}`) },
  url: { key: fixed('url'), render: (u, ctx, sub) => scalar(() => `${ctx.baseUrl}/api/v3/users/${u.id}`)(u, ctx, sub) },
  firstname: { key: fixed('firstName'), render: scalar((u) => u.firstName) },
  lastname: { key: fixed('lastName'), render: scalar((u) => u.lastName) },
  mail: { key: fixed('mail'), render: scalar((u) => u.mail) },
  personalemail: { key: fixed('personalEmail'), render: scalar((u) => u.personalEmail) },
  login: { key: fixed('login'), render: scalar((u) => u.login) },
  employeenumber: { key: fixed('employeeNumber'), render: scalar((u) => u.employeeNumber) },
  jobtitle: { key: fixed('jobTitle'), render: scalar((u) => u.jobTitle) },
  managerid: { key: idKey('managerId'), render: scalar((u) => u.managerId) },
  departmentid: { key: idKey('departmentId'), render: scalar((u) => u.departmentId) },
  legalentityid: { key: idKey('legalEntityId'), render: scalar((u) => u.legalEntityId) },
  cultureid: { key: fixed('cultureID'), render: scalar((u) => u.cultureID) },
  dtcontractstart: { key: fixed('dtContractStart'), render: contractDate((u) => u.dtContractStart) },
  dtcontractend: { key: fixed('dtContractEnd'), render: contractDate((u) => u.dtContractEnd) },
  birthdate: { key: fixed('birthDate'), render: scalar((u) => dayToWire(u.birthDate)) },
  civiltitle: { key: fixed('civilTitle'), render: scalar((u) => u.civilTitle) },
  gender: { key: fixed('gender'), render: scalar((u) => u.gender) },
  directline: { key: fixed('directLine'), render: scalar((u) => u.directLine) },
  professionalmobile: { key: fixed('professionalMobile'), render: scalar((u) => u.professionalMobile) },
  personalmobile: { key: fixed('personalMobile'), render: scalar((u) => u.personalMobile) },
  modifiedat: { key: fixed('modifiedAt'), render: scalar((u) => u.modifiedAt) },
  manager: {
    key: fixed('manager'),
    render: reference((u, ctx) => {
      if (u.managerId === null) return null;
      const m = ctx.store.getUser(u.managerId);
      return { id: u.managerId, name: m ? fullName(m) : null, url: `${ctx.baseUrl}/api/v3/users/${u.managerId}` };
    }),
  },
  department: {
    key: fixed('department'),
    render: reference((u, ctx) => {
      if (u.departmentId === null) return null;
      const d = ctx.store.departments.get(u.departmentId);
      return { id: u.departmentId, name: d?.name ?? null, url: `${ctx.baseUrl}/api/v3/departments/${u.departmentId}` };
    }),
  },
  legalentity: {
    key: fixed('legalEntity'),
    render: reference((u, ctx) => {
      if (u.legalEntityId === null) return null;
      const le = ctx.store.legalEntities.get(u.legalEntityId);
      return { id: u.legalEntityId, name: le?.name ?? null, url: `${ctx.baseUrl}/api/v3/legalentities/${u.legalEntityId}` };
    }),
  },
  culture: {
    key: fixed('culture'),
    render: reference((u, ctx) => ({
      id: u.cultureID,
      name: CULTURES[u.cultureID] ?? null,
      url: `${ctx.baseUrl}/api/v3/cultures/${u.cultureID}`,
    })),
  },
  extendeddata: { key: fixed('extendedData'), render: renderExtendedData },
};

/** A grant names a section ("Background check") or a single code; both match case-insensitively. */
function granted(grants: 'all' | string[], code: string, section: string | undefined): boolean {
  if (grants === 'all') return true;
  const names = [code, section].filter((n): n is string => !!n).map((n) => n.toLowerCase());
  return grants.some((g) => names.includes(g.toLowerCase()));
}

export function canRead(permissions: ApiKeyPermissions, code: string, section?: string): boolean {
  return granted(permissions.readableSections, code, section);
}

export function canWrite(permissions: ApiKeyPermissions, code: string, section?: string): boolean {
  return granted(permissions.writableSections, code, section);
}

function wireEntry(entry: ExtendedEntry, def: ExtensionDefinition | undefined, ctx: ProjectionContext): unknown {
  const wire = (v: ExtendedValue) => ({ id: v.id, value: wireValue(v.value, def, ctx) });
  return Array.isArray(entry) ? entry.map(wire) : wire(entry);
}

/** Files and users as the dialect says: bare (GUID, user id) or `{id, name, url}` objects. */
function wireValue(value: ExtendedScalar, def: ExtensionDefinition | undefined, ctx: ProjectionContext): unknown {
  if (def?.formatKey === 'boolean' && typeof value === 'boolean') return checkboxOnWire(value, ctx.store.dialect.checkboxValues);
  if (ctx.store.dialect.referenceValues === 'bare') return value;
  if (def?.formatKey === 'file' && typeof value === 'string') {
    return { id: value, name: ctx.store.getFile(value)?.name ?? null, url: `${ctx.baseUrl}${ctx.store.dialect.filesPath}/${value}` };
  }
  if (def?.formatKey === 'user' && typeof value === 'number') {
    const user = ctx.store.getUser(value);
    return { id: value, name: user ? fullName(user) : null, url: `${ctx.baseUrl}/api/v3/users/${value}` };
  }
  return value;
}

/**
 * Whole `extendedData`: every readable code the user has a value for (empty codes absent).
 * Explicit `extendedData[e_x]`: the code even when empty (null, or [] when multiple) — or left out,
 * as the dialect says; unknown or unreadable codes silently absent.
 */
function renderExtendedData(user: LuccaUser, ctx: ProjectionContext, sub: FieldTree | null): unknown {
  const values = ctx.store.extendedDataOf(user.id);
  const out: Record<string, unknown> = {};
  if (!sub || ctx.store.dialect.extendedDataSelection === 'ignored') {
    for (const [code, entry] of values) {
      const def = ctx.store.definition(code);
      if (canRead(ctx.permissions, code, def?.section)) out[code] = wireEntry(entry, def, ctx);
    }
    return out;
  }
  for (const node of sub.values()) {
    if (node.children) throw new FieldSelectionError('Query parameter is invalid: nested selection too deep');
    const def = ctx.store.definition(node.spelled);
    if (!def || !canRead(ctx.permissions, def.code, def.section)) continue;
    const entry = values.get(def.code);
    if (entry) out[def.code] = wireEntry(entry, def, ctx);
    else if (ctx.store.dialect.unsetExtendedData === 'null') out[def.code] = def.isMultiple ? [] : null;
  }
  return out;
}

/** Throws FieldSelectionError for unknown fields, so a client typo is a 400 rather than silent nulls. */
export function validateUserSelection(selection: FieldTree): void {
  for (const [key, node] of selection) {
    if (key === 'collection') continue;
    if (!FIELDS[key]) throw new FieldSelectionError(`Query parameter is invalid: unknown field ${node.spelled}`);
  }
}

/** Without `fields` a v3 resource is only `id`, `name`, `url`. */
export function projectUser(user: LuccaUser, ctx: ProjectionContext, selection: FieldTree | null): Record<string, unknown> {
  if (!selection) {
    return { id: user.id, name: fullName(user), url: `${ctx.baseUrl}/api/v3/users/${user.id}` };
  }
  const out: Record<string, unknown> = {};
  for (const [key, node] of selection) {
    if (key === 'collection') continue;
    const spec = FIELDS[key];
    if (!spec) throw new FieldSelectionError(`Query parameter is invalid: unknown field ${node.spelled}`);
    out[spec.key(ctx)] = spec.render(user, ctx, node.children);
  }
  return out;
}

function checkboxOnWire(value: boolean, form: LuccaDialect['checkboxValues']): unknown {
  if (form === 'string') return String(value);
  if (form === 'number') return value ? 1 : 0;
  if (form === 'label') return value ? 'Oui' : 'Non';
  return value;
}
