import { toComparableDateTime, toDay } from './lucca-dates';
import type { ApiKeyPermissions, LuccaTenantStore, LuccaUser } from './lucca-tenant-store';

/**
 * Which users a `GET /api/v3/users` query returns, in which order, which page. Follows the v3
 * grammar (lucca-api.md §2.1): `prop=a,b` (OR), `notequal,`, `like,`, `starts,`, `since,`,
 * `until,`, `between,x,y`, `greaterthan(orequal),`, `lessthan(orequal),`; `null` literal.
 */

export class QueryError extends Error {
  override readonly name = 'QueryError';
}

/** Query keys that are not filters (RDD Reserved.cs) plus `formerEmployees`. */
const RESERVED = new Set([
  'fields',
  'paging',
  'orderby',
  'callback',
  'metadata',
  'notify',
  'accept',
  'template',
  'httpmethod',
  'groupby',
  'authtoken',
  '_',
  'formeremployees',
]);

type Kind = 'int' | 'string' | 'day' | 'datetime';

const FILTERABLE: Record<string, { kind: Kind; get: (u: LuccaUser) => string | number | null }> = {
  id: { kind: 'int', get: (u) => u.id },
  employeenumber: { kind: 'string', get: (u) => u.employeeNumber },
  matricule: { kind: 'string', get: (u) => u.employeeNumber },
  mail: { kind: 'string', get: (u) => u.mail },
  login: { kind: 'string', get: (u) => u.login },
  firstname: { kind: 'string', get: (u) => u.firstName },
  lastname: { kind: 'string', get: (u) => u.lastName },
  managerid: { kind: 'int', get: (u) => u.managerId },
  departmentid: { kind: 'int', get: (u) => u.departmentId },
  legalentityid: { kind: 'int', get: (u) => u.legalEntityId },
  dtcontractstart: { kind: 'day', get: (u) => u.dtContractStart },
  dtcontractend: { kind: 'day', get: (u) => u.dtContractEnd },
  modifiedat: { kind: 'datetime', get: (u) => u.modifiedAt },
};

const ORDERABLE: Record<string, (u: LuccaUser) => string | number | null> = {
  id: (u) => u.id,
  lastname: (u) => u.lastName,
  firstname: (u) => u.firstName,
  employeenumber: (u) => u.employeeNumber,
  modifiedat: (u) => u.modifiedAt,
  dtcontractstart: (u) => u.dtContractStart,
  dtcontractend: (u) => u.dtContractEnd,
};

type Predicate = (u: LuccaUser) => boolean;

function parseOperand(kind: Kind, raw: string): string | number | null {
  if (raw.toLowerCase() === 'null') return null;
  switch (kind) {
    case 'int': {
      if (!/^-?\d+$/.test(raw)) throw new QueryError('Query parameter is invalid');
      return Number(raw);
    }
    case 'day': {
      const day = toDay(raw);
      if (!day) throw new QueryError('Query parameter is invalid');
      return day;
    }
    case 'datetime': {
      const dt = toComparableDateTime(raw);
      if (!dt) throw new QueryError('Query parameter is invalid');
      return dt;
    }
    case 'string':
      return raw;
  }
}

function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `since`/`until` and the comparisons; `until,<date>,null` = up to the date OR no value (lucca-api.md §2.1 D-UEX). */
function rangePredicate(op: string, xs: Array<string | number | null>, get: (u: LuccaUser) => string | number | null): Predicate {
  if (xs.length === 0) throw new QueryError('Query parameter is invalid');
  const test =
    op === 'since' || op === 'greaterthanorequal'
      ? (c: number) => c >= 0
      : op === 'until' || op === 'lessthanorequal'
        ? (c: number) => c <= 0
        : op === 'greaterthan'
          ? (c: number) => c > 0
          : (c: number) => c < 0;
  const withNull = xs.includes(null);
  const bound = xs.find((x) => x !== null) ?? null;
  return (u) => {
    const v = get(u);
    return (withNull && v === null) || (bound !== null && v !== null && test(compare(v, bound)));
  };
}

function buildPredicate(key: string, rawValue: string): Predicate {
  const spec = FILTERABLE[key.toLowerCase()];
  if (!spec) throw new QueryError(`Query parameter is invalid: unsupported filter ${key}`);
  const parts = rawValue.split(',');
  const op = (parts[0] ?? '').toLowerCase();
  const args = parts.slice(1);
  const operands = (xs: string[]) => xs.map((x) => parseOperand(spec.kind, x));
  const get = spec.get;
  switch (op) {
    case 'notequal': {
      const xs = operands(args);
      return (u) => !xs.includes(get(u));
    }
    case 'like': {
      const needle = (args.join(',') || '').toLowerCase();
      return (u) =>
        String(get(u) ?? '')
          .toLowerCase()
          .includes(needle);
    }
    case 'starts': {
      const needle = (args.join(',') || '').toLowerCase();
      return (u) =>
        String(get(u) ?? '')
          .toLowerCase()
          .startsWith(needle);
    }
    case 'since':
    case 'greaterthanorequal':
    case 'until':
    case 'lessthanorequal':
    case 'greaterthan':
    case 'lessthan': {
      return rangePredicate(op, operands(args), get);
    }
    case 'between': {
      const [from, to] = operands(args);
      if (from === undefined || to === undefined || from === null || to === null) throw new QueryError('Query parameter is invalid');
      return (u) => {
        const v = get(u);
        return v !== null && compare(v, from) >= 0 && compare(v, to) <= 0;
      };
    }
    default: {
      const xs = operands(parts);
      return (u) => xs.includes(get(u));
    }
  }
}

export interface Paging {
  offset: number;
  limit: number;
}

/** Default when `paging` is absent: the documented `0,1000` (the dialect may say 10, Lucca's framework default). */
export const DEFAULT_PAGING: Paging = { offset: 0, limit: 1000 };

export function parsePaging(raw: string | null, defaultPaging: Paging = DEFAULT_PAGING): Paging {
  if (raw === null || raw.trim() === '') return defaultPaging;
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length === 1) {
    // RDD: `paging=1` means "the default page".
    if (/^\d+$/.test(parts[0] ?? '')) return defaultPaging;
    throw new QueryError('Query parameter is invalid');
  }
  if (parts.length !== 2 || !parts.every((p) => /^-?\d+$/.test(p))) throw new QueryError('Query parameter is invalid');
  const offset = Number(parts[0]);
  const limit = Number(parts[1]);
  if (offset < 0) throw new QueryError('Paging offset should be greater than 0');
  if (limit < 1 || limit > 1000) throw new QueryError('Paging limit should be between 1 and 1000');
  return { offset, limit };
}

export interface UserQueryResult {
  total: number;
  page: LuccaUser[];
}

/**
 * Population: current users, plus future hires when the key may see them, plus former employees
 * when `formerEmployees=true` (or a `dtContractEnd` filter is given) and the key may see them.
 * A key without a permission gets no error: the users are just not there.
 */
export function queryUsers(store: LuccaTenantStore, params: URLSearchParams, permissions: ApiKeyPermissions): UserQueryResult {
  const predicates: Predicate[] = [];
  let endDateFilter = false;
  for (const [key, value] of params) {
    const lower = key.toLowerCase();
    if (RESERVED.has(lower)) continue;
    if (lower === 'dtcontractend') endDateFilter = true;
    predicates.push(buildPredicate(key, value));
  }
  const formerRequested = (params.get('formerEmployees') ?? params.get('formeremployees') ?? '').toLowerCase() === 'true';
  const includeFormer = permissions.formerEmployees && (formerRequested || endDateFilter);
  const includeFuture = permissions.futureEmployees;

  const orderRaw = params.get('orderBy') ?? params.get('orderby');
  let orderKey: (u: LuccaUser) => string | number | null = (u) => u.id;
  let direction = 1;
  if (orderRaw) {
    const [prop, dir = 'asc', ...rest] = orderRaw.split(',').map((s) => s.trim().toLowerCase());
    const getter = prop ? ORDERABLE[prop] : undefined;
    if (!getter || rest.length > 0 || (dir !== 'asc' && dir !== 'desc')) throw new QueryError('Order by query parameter is invalid');
    orderKey = getter;
    direction = dir === 'desc' ? -1 : 1;
  }
  const paging = parsePaging(params.get('paging'), { offset: 0, limit: store.dialect.defaultPageSize });

  const today = store.today();
  const matching: LuccaUser[] = [];
  for (const user of store.users.values()) {
    const status = store.statusOf(user, today);
    if (status === 'former' && !includeFormer) continue;
    if (status === 'future' && !includeFuture) continue;
    if (predicates.every((p) => p(user))) matching.push(user);
  }
  matching.sort((a, b) => {
    const ka = orderKey(a);
    const kb = orderKey(b);
    // nulls first in ascending order; ties broken by id so paging is stable.
    const c = ka === kb ? 0 : ka === null ? -1 : kb === null ? 1 : compare(ka, kb);
    return c !== 0 ? c * direction : a.id - b.id;
  });
  return { total: matching.length, page: matching.slice(paging.offset, paging.offset + paging.limit) };
}

/** Whether a single `GET /api/v3/users/{id}` may show this user to this key. */
export function isVisible(store: LuccaTenantStore, user: LuccaUser, permissions: ApiKeyPermissions): boolean {
  const status = store.statusOf(user);
  if (status === 'former') return permissions.formerEmployees;
  if (status === 'future') return permissions.futureEmployees;
  return true;
}
