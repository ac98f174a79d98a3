import type { ElevoUser } from '../src/connectors/elevo-user-sync/elevo/schemas';
import type { ElevoSandbox, ElevoTenantStore } from '../dev/simulators/elevo';

/**
 * Bench-only speed-up of the Elevo *simulator* (not of the connector): `ElevoTenantStore.list`
 * copies and scans every user for each email / externalId / manager check, three times per create,
 * so 100,000 creates cost O(N²) in the simulator and the bench would measure the simulator.
 * This keeps the same answers with two indexes maintained on every write to the user map.
 * (Reported to the lead: the same indexes belong in dev/simulators/elevo/elevo-tenant-store.ts.)
 */
class IndexedUserMap extends Map<string, ElevoUser> {
  readonly byEmail = new Map<string, Set<string>>();
  readonly byExternalId = new Map<string, Set<string>>();

  override set(id: string, user: ElevoUser): this {
    this.unindex(id);
    super.set(id, user);
    if (this.byEmail) {
      add(this.byEmail, lower(user.email), id);
      if (user.externalId !== null) add(this.byExternalId, user.externalId, id);
    }
    return this;
  }

  override delete(id: string): boolean {
    this.unindex(id);
    return super.delete(id);
  }

  private unindex(id: string): void {
    const old = super.get(id);
    if (!old || !this.byEmail) return;
    this.byEmail.get(lower(old.email))?.delete(id);
    if (old.externalId !== null) this.byExternalId.get(old.externalId)?.delete(id);
  }
}

function add(index: Map<string, Set<string>>, key: string, id: string): void {
  let ids = index.get(key);
  if (!ids) index.set(key, (ids = new Set()));
  ids.add(id);
}

export function indexElevoSandboxLookups(sandbox: ElevoSandbox, tenantId: string): void {
  const tenants = (sandbox as unknown as { tenants: Map<string, { store: ElevoTenantStore }> }).tenants;
  const store = tenants.get(tenantId)?.store;
  if (!store) throw new Error(`no Elevo sandbox tenant ${tenantId}`);
  const internals = store as unknown as { users: Map<string, ElevoUser> };
  const users = new IndexedUserMap();
  for (const [id, user] of internals.users) users.set(id, user);
  internals.users = users;
  store.list = (filter: { externalId?: string; email?: string } = {}): ElevoUser[] => {
    let ids: Iterable<string> | undefined;
    if (filter.externalId !== undefined) ids = users.byExternalId.get(filter.externalId) ?? [];
    else if (filter.email !== undefined) ids = users.byEmail.get(lower(filter.email)) ?? [];
    if (!ids) return [...users.values()];
    let found = [...ids].map((id) => users.get(id)!).filter(Boolean);
    if (filter.email !== undefined) found = found.filter((u) => lower(u.email) === lower(filter.email!));
    return found;
  };
}

/** The simulator's own email comparison (trimmed, case-insensitive). */
function lower(value: string): string {
  return value.trim().toLowerCase();
}
