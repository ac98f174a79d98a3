import type { DossierResultName, DossierStatusName, ScreeningOutcome, StatusHistoryEntry } from '../contract';

/**
 * The order's view of its dossier at Aequivalent: the current status, which never moves backwards
 * (webhooks arrive late, twice, out of order), the result, and every status seen in lifecycle order.
 * Pure and workflow-safe: the order workflow feeds it webhooks and dossier reads.
 */
export interface DossierTracking {
  current?: DossierStatusName;
  result: DossierResultName | null;
  history: StatusHistoryEntry[];
}

export interface StatusChange {
  status: DossierStatusName;
  result: DossierResultName | null;
  at: string;
  source: StatusHistoryEntry['source'];
}

/** A full read of the dossier (create, poll, cancel): its status and the history Aequivalent keeps. */
export interface DossierReading {
  status: DossierStatusName;
  result: DossierResultName | null;
  history: ReadonlyArray<{ status: DossierStatusName; at: string }>;
}

/** Lifecycle order; the four final states share the last rank. */
export const DOSSIER_STATUS_RANK: Readonly<Record<DossierStatusName, number>> = {
  created: 0,
  candidate_invited: 1,
  consent_given: 2,
  consent_refused: 2,
  in_progress: 3,
  report_available: 4,
  expired: 4,
  cancelled: 4,
};

const FINAL: ReadonlySet<DossierStatusName> = new Set(['consent_refused', 'report_available', 'expired', 'cancelled']);

export const startTracking = (): DossierTracking => ({ result: null, history: [] });

export function isFinal(tracking: DossierTracking): boolean {
  return tracking.current !== undefined && FINAL.has(tracking.current);
}

/**
 * Records a status (once, in lifecycle order) and moves the dossier forward when it is ahead of
 * the current one. `changed` says whether anything was new.
 */
export function recordStatus(tracking: DossierTracking, change: StatusChange): { tracking: DossierTracking; changed: boolean } {
  const isNew = !tracking.history.some((h) => h.status === change.status);
  const history = isNew
    ? [...tracking.history, { status: change.status, at: change.at, source: change.source }].sort(
        (a, b) => DOSSIER_STATUS_RANK[a.status] - DOSSIER_STATUS_RANK[b.status],
      )
    : tracking.history;
  const behind = tracking.current !== undefined && DOSSIER_STATUS_RANK[change.status] <= DOSSIER_STATUS_RANK[tracking.current];
  if (isFinal(tracking) || behind) return { tracking: { ...tracking, history }, changed: isNew };
  const result = change.status === 'report_available' ? change.result : tracking.result;
  return { tracking: { current: change.status, result, history }, changed: true };
}

/** A full read fills in the states whose webhooks were missed, in their order, then its current status. */
export function recordReading(tracking: DossierTracking, reading: DossierReading, source: StatusChange['source']): DossierTracking {
  let next = tracking;
  for (const entry of reading.history) {
    next = recordStatus(next, {
      status: entry.status,
      result: entry.status === 'report_available' ? reading.result : null,
      at: entry.at,
      source,
    }).tracking;
  }
  const last = reading.history[reading.history.length - 1];
  if (last?.status !== reading.status)
    next = recordStatus(next, { status: reading.status, result: reading.result, at: last?.at ?? '', source }).tracking;
  return next;
}

/** The order's outcome once the dossier is final; undefined while it is still going. */
export function outcomeOf(tracking: DossierTracking): ScreeningOutcome | undefined {
  if (!isFinal(tracking)) return undefined;
  // A report without a result breaks the vendor contract; it is still final, and reported as such.
  if (tracking.current === 'report_available') return tracking.result ?? 'result_missing';
  return tracking.current as 'consent_refused' | 'expired' | 'cancelled';
}
