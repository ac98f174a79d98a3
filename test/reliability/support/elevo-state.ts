import type { ElevoUser } from '../../../src/connectors/elevo-user-sync/elevo/schemas';
import type { ElevoSandbox } from '../../../dev/simulators/elevo';

/**
 * The part of an Elevo account a sync is responsible for, without what differs between two
 * equivalent runs (Elevo ids, timestamps): one entry per user, keyed by external id (or email
 * for users the sync does not manage), sorted.
 */
export type ElevoFingerprint = Array<Omit<ElevoUser, 'id' | 'createdAt' | 'updatedAt'>>;

export function elevoFingerprint(users: ElevoUser[]): ElevoFingerprint {
  return users
    .map(({ id: _id, createdAt: _c, updatedAt: _u, ...rest }) => ({
      ...rest,
      email: rest.email.toLowerCase(),
      lockedAttributes: [...rest.lockedAttributes].sort(),
    }))
    .sort((a, b) => (a.externalId ?? `~${a.email}`).localeCompare(b.externalId ?? `~${b.email}`));
}

/** Users beyond one per person: same external id twice, or same email twice. */
export function elevoDuplicates(users: ElevoUser[]): number {
  const byExternal = new Set(users.filter((u) => u.externalId).map((u) => u.externalId));
  const linked = users.filter((u) => u.externalId).length;
  const byEmail = new Set(users.map((u) => u.email.toLowerCase()));
  return linked - byExternal.size + (users.length - byEmail.size);
}

/** Human-readable list of the differences (ids and field names only, never values). */
export function fingerprintDifferences(expected: ElevoFingerprint, actual: ElevoFingerprint): string[] {
  const key = (u: ElevoFingerprint[number]) => u.externalId ?? `email:${u.email}`;
  const want = new Map(expected.map((u) => [key(u), u]));
  const got = new Map(actual.map((u) => [key(u), u]));
  const out: string[] = [];
  for (const [k, u] of want) {
    const g = got.get(k);
    if (!g) out.push(`${k}: missing`);
    else {
      const fields = (Object.keys(u) as Array<keyof typeof u>).filter((f) => JSON.stringify(u[f]) !== JSON.stringify(g[f]));
      if (fields.length > 0) out.push(`${k}: ${fields.join(',')} differ`);
    }
  }
  for (const k of got.keys()) if (!want.has(k)) out.push(`${k}: unexpected`);
  return out;
}

/** Injected faults left in an Elevo tenant's script (read through the admin endpoint). */
export async function elevoScriptLeft(elevo: ElevoSandbox, tenantId: string): Promise<number> {
  const res = await fetch(`${elevo.url}/_sandbox/${tenantId}/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const body = (await res.json()) as { script?: unknown[] };
  return body.script?.length ?? 0;
}
