import type { SyncAction } from '../../connectors/elevo-user-sync/domain/sync-model';
import type { BatchOutcome, PreparedPlan } from '../../connectors/elevo-user-sync/contract';
import type { ArtifactStore } from '../../storage/artifact-store';

/**
 * What one sync keeps in the artifact store (the claim check: personal data never travels through
 * Temporal), all under its run key (opaque: tenant id, workflow id, run id).
 */
export const elevoSyncKeys = {
  summary: (runKey: string) => `${runKey}/plan-summary`,
  batch: (runKey: string, i: number) => `${runKey}/batches/${String(i).padStart(6, '0')}`,
  result: (runKey: string, i: number) => `${runKey}/results/${String(i).padStart(6, '0')}`,
  skips: (runKey: string) => `${runKey}/skips`,
  report: (runKey: string) => `${runKey}/report`,
  lastSuccess: (tenantId: string) => `elevo-user-sync/${tenantId}/last-success`,
};

/** An action and the person's display name, for the report (the name stays in the store). */
export interface NamedAction {
  action: SyncAction;
  name: string | null;
}
export interface StoredBatch {
  actions: NamedAction[];
}
export interface StoredResult {
  outcomes: Array<{ ok: boolean; error?: string; elevoId?: string }>;
  elevoRequests: number;
}
export interface StoredSummary extends PreparedPlan {
  tenantId: string;
}

export function batchOutcomeOf(result: StoredResult): BatchOutcome {
  const failed = result.outcomes.filter((o) => !o.ok).length;
  return { applied: result.outcomes.length - failed, failed, elevoRequests: result.elevoRequests };
}

/** The Elevo ids a stored plan suspends. */
export async function suspensionsOf(artifacts: ArtifactStore, runKey: string): Promise<string[]> {
  const summary = await artifacts.requireJson<StoredSummary>(elevoSyncKeys.summary(runKey));
  const ids: string[] = [];
  for (let i = 0; i < summary.batchCount; i++) {
    const batch = await artifacts.requireJson<StoredBatch>(elevoSyncKeys.batch(runKey, i));
    for (const { action } of batch.actions) if (action.kind === 'suspend') ids.push(action.elevoId);
  }
  return ids;
}
