import type { SourceEmployee, WriteAction } from '../../connectors/elevo-user-sync/domain/sync-model';

/**
 * Of a full (daily) run's writes, those the change feed should have applied already: everything
 * except what only the calendar causes (a contract that ended, a hire whose first day is today) and
 * lock-list maintenance. Expected 0 when the feed runs; otherwise a change Lucca did not stamp
 * (`e_` data?), a deletion, or a missed poll (docs/freshness.md).
 */
export function missedByIncremental(writes: readonly WriteAction[], source: readonly SourceEmployee[], runDate: string): number {
  const startOf = new Map(source.map((e) => [e.luccaId, e.contractStart]));
  return writes.filter((a) => {
    if (a.kind === 'suspend' && a.reason === 'contract-ended') return false;
    if ((a.kind === 'create' || a.kind === 'reactivate') && a.luccaId !== undefined && startOf.get(a.luccaId) === runDate) return false;
    return !(a.kind === 'update' && a.reason === 'lock-changed');
  }).length;
}
