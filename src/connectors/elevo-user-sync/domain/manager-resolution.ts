import type { ManagerIssue } from './sync-model';

export interface ManagerResolution {
  /** Lucca id -> the manager's external id to write (null when none can be set). */
  managerExternalId: Map<number, string | null>;
  /** Lucca id -> why the Lucca manager was not written. */
  issues: Map<number, { issue: ManagerIssue; managerLuccaId: number }>;
}

export interface ManagerResolutionInput {
  /** Employees whose Elevo user will be active and linked after the run, with their Lucca manager. */
  synced: ReadonlyMap<number, number | null>;
  /** Why a manager outside `synced` is not usable. */
  whyNotSynced: (managerLuccaId: number) => Exclude<ManagerIssue, 'manager-cycle'>;
}

/**
 * Resolves every synced employee's manager. A manager must itself be synced (Elevo references
 * managers by external id); otherwise the report gets no manager and an issue. Cycles in the org
 * chart are broken at the member with the smallest Lucca id, so creation order always exists.
 * Iterative on purpose: a 100,000-deep chain must not overflow the stack.
 */
export function resolveManagers(input: ManagerResolutionInput): ManagerResolution {
  const managerExternalId = new Map<number, string | null>();
  const issues: ManagerResolution['issues'] = new Map();
  const edge = new Map<number, number>();

  for (const [id, managerId] of input.synced) {
    if (managerId === null) continue;
    if (managerId === id) issues.set(id, { issue: 'manager-cycle', managerLuccaId: managerId });
    else if (input.synced.has(managerId)) edge.set(id, managerId);
    else issues.set(id, { issue: input.whyNotSynced(managerId), managerLuccaId: managerId });
  }

  // Functional graph (at most one outgoing edge): walk each path once; a node met again on the
  // current path closes a cycle.
  const state = new Map<number, 1 | 2>(); // 1 = on current path, 2 = done
  for (const start of input.synced.keys()) {
    if (state.has(start)) continue;
    const path: number[] = [];
    let cur: number | undefined = start;
    while (cur !== undefined && !state.has(cur)) {
      state.set(cur, 1);
      path.push(cur);
      cur = edge.get(cur);
    }
    if (cur !== undefined && state.get(cur) === 1) {
      const cycle = path.slice(path.indexOf(cur));
      const breakAt = cycle.reduce((a, b) => (b < a ? b : a));
      const managerId = edge.get(breakAt)!;
      edge.delete(breakAt);
      issues.set(breakAt, { issue: 'manager-cycle', managerLuccaId: managerId });
    }
    for (const n of path) state.set(n, 2);
  }

  for (const id of input.synced.keys()) {
    const managerId = edge.get(id);
    managerExternalId.set(id, managerId === undefined ? null : String(managerId));
  }
  return { managerExternalId, issues };
}
