import type { ActionKind, SyncAction } from './sync-model';

/** Adoptions first (they link existing users), then writes that may depend on them; suspensions last. */
const KIND_ORDER: Record<ActionKind, number> = { adopt: 0, reactivate: 1, create: 2, update: 3, release: 4, suspend: 5, skip: 6 };

/** The external id an action makes available as a manager reference (or re-activates). */
export function establishes(action: SyncAction): string | undefined {
  if (action.kind === 'create') return action.attributes.externalId;
  if (action.kind === 'adopt') return action.externalId;
  if (action.kind === 'reactivate') return String(action.luccaId);
  return undefined;
}

/** The manager external id an action writes, if any. */
export function dependsOn(action: SyncAction): string | undefined {
  if (action.kind === 'create') return action.attributes.managerExternalId ?? undefined;
  if (action.kind === 'adopt' || action.kind === 'update' || action.kind === 'reactivate') {
    return action.changes.find((c) => c.field === 'managerExternalId')?.after ?? undefined;
  }
  return undefined;
}

/**
 * Stable order by kind, then each write is preceded by the action that creates (or adopts, or
 * reactivates) the manager it references. Each action depends on at most one other (its manager),
 * so walking up the chain is enough; manager cycles were already broken, the guard is belt and braces.
 */
export function orderActions(actions: readonly SyncAction[]): SyncAction[] {
  const sorted = actions
    .map((a, i) => ({ a, i }))
    .sort((x, y) => KIND_ORDER[x.a.kind] - KIND_ORDER[y.a.kind] || x.i - y.i)
    .map((x) => x.a);
  const provider = new Map<string, SyncAction>();
  for (const a of sorted) {
    const id = establishes(a);
    if (id !== undefined) provider.set(id, a);
  }
  const emitted = new Set<SyncAction>();
  const out: SyncAction[] = [];
  for (const a of sorted) {
    if (emitted.has(a)) continue;
    const chain: SyncAction[] = [];
    const onChain = new Set<SyncAction>();
    let cur: SyncAction | undefined = a;
    while (cur && !emitted.has(cur) && !onChain.has(cur)) {
      chain.push(cur);
      onChain.add(cur);
      const dep = dependsOn(cur);
      cur = dep === undefined ? undefined : provider.get(dep);
    }
    for (let k = chain.length - 1; k >= 0; k--) {
      emitted.add(chain[k]!);
      out.push(chain[k]!);
    }
  }
  return out;
}

/**
 * For each action of an ordered list, the index of the earlier action it must wait for (the one that
 * creates, adopts or reactivates its manager), or undefined: what lets writes run concurrently while
 * managers still exist before their reports.
 */
export function managerPrerequisites(actions: readonly SyncAction[]): Array<number | undefined> {
  const providerIndex = new Map<string, number>();
  return actions.map((action, i) => {
    const dep = dependsOn(action);
    const before = dep === undefined ? undefined : providerIndex.get(dep);
    const id = establishes(action);
    if (id !== undefined) providerIndex.set(id, i);
    return before;
  });
}
