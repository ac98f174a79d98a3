import type { ArtifactStore } from './artifact-store';

/**
 * Right to erasure, in the artifact store: every Elevo sync artifact of a tenant that names one
 * Lucca employee is rewritten without them — report lines, planned actions (batches, skips) and the
 * batch results aligned with those actions; the screening candidate snapshots of the employee are
 * removed. Counts (plan summaries, last-success) hold no personal data and stay. Rewritten artifacts
 * keep their write time: an erasure never extends the other employees' retention.
 */
export interface EmployeeErasure {
  /** Screening candidate records the intake left for orders not started yet (name, birth date, phones). */
  candidateSnapshotsRemoved: number;
  reportsRewritten: number;
  reportLinesRemoved: number;
  planArtifactsRewritten: number;
  plannedActionsRemoved: number;
}

interface WithLuccaId {
  luccaId?: number | null;
}
interface ReportShape {
  lines: WithLuccaId[];
}
interface BatchShape {
  actions: Array<{ action: WithLuccaId }>;
}
interface ResultShape {
  outcomes: unknown[];
}

const REPORT = /\/report$/;
const BATCH = /\/batches\/(\d+)$/;
const SKIPS = /\/skips$/;

export async function eraseEmployeeArtifacts(store: ArtifactStore, tenantId: string, luccaId: number): Promise<EmployeeErasure> {
  const erased: EmployeeErasure = {
    candidateSnapshotsRemoved: await removeCandidateSnapshots(store, tenantId, luccaId),
    reportsRewritten: 0,
    reportLinesRemoved: 0,
    planArtifactsRewritten: 0,
    plannedActionsRemoved: 0,
  };
  for (const key of await store.list(`elevo-user-sync/${tenantId}`)) {
    if (REPORT.test(key)) {
      const report = await store.getJson<ReportShape>(key);
      const kept = report?.lines.filter((line) => line.luccaId !== luccaId) ?? [];
      if (!report || kept.length === report.lines.length) continue;
      erased.reportLinesRemoved += report.lines.length - kept.length;
      erased.reportsRewritten++;
      await store.rewriteJson(key, { ...report, lines: kept });
    } else if (BATCH.test(key) || SKIPS.test(key)) {
      const removed = await eraseFromPlan(store, key, luccaId);
      if (removed > 0) {
        erased.planArtifactsRewritten++;
        erased.plannedActionsRemoved += removed;
      }
    }
  }
  return erased;
}

/** Removes the employee's actions from a batch (and the same positions from its result, if any). */
async function eraseFromPlan(store: ArtifactStore, key: string, luccaId: number): Promise<number> {
  const batch = await store.getJson<BatchShape>(key);
  if (!batch) return 0;
  const drop = new Set(batch.actions.flatMap((a, i) => (a.action.luccaId === luccaId ? [i] : [])));
  if (drop.size === 0) return 0;
  const resultKey = key.replace(BATCH, '/results/$1');
  const result = resultKey !== key ? await store.getJson<ResultShape>(resultKey) : undefined;
  if (result) await store.rewriteJson(resultKey, { ...result, outcomes: result.outcomes.filter((_o, i) => !drop.has(i)) });
  await store.rewriteJson(key, { ...batch, actions: batch.actions.filter((_a, i) => !drop.has(i)) });
  return drop.size;
}

/** `aequivalent-screening/<tenant>/candidate-snapshots/<luccaId>-<orderKey>` (see screening-candidate-snapshots.ts). */
async function removeCandidateSnapshots(store: ArtifactStore, tenantId: string, luccaId: number): Promise<number> {
  const prefix = `aequivalent-screening/${tenantId}/candidate-snapshots`;
  const keys = (await store.list(prefix)).filter((key) => key.slice(prefix.length + 1).startsWith(`${luccaId}-`));
  for (const key of keys) await store.remove(key);
  return keys.length;
}
