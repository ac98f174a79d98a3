import type { LuccaClient } from './lucca-client';
import { normalizeNaiveDateTime } from '../../shared/naive-date-time';

/** One user Lucca reports as modified: its id and its `modifiedAt` (naive, Lucca's own clock). */
export interface ModifiedUser {
  id: number;
  modifiedAt: string;
}

export interface ModifiedSince {
  users: ModifiedUser[];
  /** Lucca's clock at the first answer (`header.generated`), when it sent one. */
  generated?: string;
  requests: number;
}

/**
 * `GET /api/v3/users?modifiedAt=since,<t>` (former employees included), ids and stamps only, paged
 * by 1,000: one request when fewer than 1,000 users changed.
 */
export async function readModifiedSince(lucca: LuccaClient, since: string, signal?: AbortSignal): Promise<ModifiedSince> {
  const users: ModifiedUser[] = [];
  let generated: string | undefined;
  let requests = 0;
  for await (const page of lucca.listUsers({
    fields: ['id', 'modifiedAt'],
    formerEmployees: true,
    filters: { modifiedAt: `since,${since}` },
    signal,
  })) {
    requests++;
    generated ??= normalizeNaiveDateTime(page.generated);
    for (const item of page.items) {
      const modifiedAt = normalizeNaiveDateTime(item.modifiedAt);
      if (typeof item.id === 'number' && modifiedAt) users.push({ id: item.id, modifiedAt });
    }
  }
  return { users, requests, ...(generated ? { generated } : {}) };
}

/**
 * The newest `modifiedAt` of the domain (`orderBy=modifiedAt,desc`, one user): where a new feed
 * starts, read on Lucca's clock so our clock and Lucca's time zone never matter.
 */
export async function newestModification(lucca: LuccaClient, signal?: AbortSignal): Promise<{ newest?: string; generated?: string }> {
  const page = await lucca.listUsersPage(
    { fields: ['id', 'modifiedAt'], formerEmployees: true, pageSize: 1, filters: { orderBy: 'modifiedAt,desc' }, signal },
    0,
  );
  const newest = normalizeNaiveDateTime(page.items[0]?.modifiedAt);
  const generated = normalizeNaiveDateTime(page.generated);
  return { ...(newest ? { newest } : {}), ...(generated ? { generated } : {}) };
}
