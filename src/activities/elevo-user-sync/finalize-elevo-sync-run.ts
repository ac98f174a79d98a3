import { reportLineFor, type RunReport, type RunReportLine } from '../../connectors/elevo-user-sync/domain/run-report';
import type { SafetyReason } from '../../connectors/elevo-user-sync/domain/safety-check';
import type { FinalizedRun, RecordedDecision } from '../../connectors/elevo-user-sync/contract';
import type { ArtifactStore } from '../../storage/artifact-store';
import type { ActivityDependencies } from '../activity-dependencies';
import { elevoSyncKeys as keys, type StoredBatch, type StoredResult, type StoredSummary } from './elevo-sync-artifacts';
import { recordedUpdateIdentity } from './recorded-update-identity';

export interface FinalizeRunInput {
  tenantId: string;
  runKey: string;
  status: FinalizedRun['status'];
  holdReasons: SafetyReason[];
  decision?: RecordedDecision;
}

/** Builds the full report (stored), records the last successful population, returns counts. */
export async function finalizeElevoSyncRun(deps: ActivityDependencies, input: FinalizeRunInput): Promise<FinalizedRun> {
  const decision = input.decision?.request
    ? { ...input.decision, temporalIdentity: await recordedUpdateIdentity(input.decision.request).catch(() => undefined) }
    : input.decision;
  const summary = await deps.artifacts.requireJson<StoredSummary>(keys.summary(input.runKey));
  const { lines, applied, failed } = await reportLines(deps.artifacts, input.runKey, summary.batchCount, input.status);
  const counts = {
    runDate: summary.runDate,
    status: input.status,
    planned: summary.counts,
    applied,
    failed,
    holdReasons: input.holdReasons,
    decision,
  };
  const generatedAt = (deps.now ?? (() => new Date()))().toISOString();
  const report: RunReport = {
    tenantId: input.tenantId,
    runKey: input.runKey,
    runDate: summary.runDate,
    status: input.status,
    generatedAt,
    planned: summary.counts,
    applied,
    failed,
    holdReasons: input.holdReasons,
    decision,
    lines,
  };
  await deps.artifacts.putJson(keys.report(input.runKey), report);
  // Only a full run knows the population: a targeted one must not become the drop check's baseline.
  if (input.status === 'completed' && summary.scope !== 'employees') {
    await deps.artifacts.putJson(keys.lastSuccess(input.tenantId), {
      sourceCount: summary.sourceCount,
      runDate: summary.runDate,
      runKey: input.runKey,
    });
  }
  return {
    tenantId: input.tenantId,
    runKey: input.runKey,
    ...counts,
    reportKey: keys.report(input.runKey),
    luccaRequests: summary.luccaRequests,
  };
}

/** One line per planned action, with what happened to it, then the skips. */
async function reportLines(
  artifacts: ArtifactStore,
  runKey: string,
  batchCount: number,
  status: FinalizedRun['status'],
): Promise<{ lines: RunReportLine[]; applied: number; failed: number }> {
  const lines: RunReportLine[] = [];
  let applied = 0;
  let failed = 0;
  for (let i = 0; i < batchCount; i++) {
    const batch = await artifacts.requireJson<StoredBatch>(keys.batch(runKey, i));
    const result = status === 'completed' ? await artifacts.getJson<StoredResult>(keys.result(runKey, i)) : undefined;
    batch.actions.forEach(({ action, name }, j) => {
      const outcome = result?.outcomes[j];
      if (outcome?.ok) applied++;
      if (outcome && !outcome.ok) failed++;
      const state = status === 'dry-run' ? 'planned' : !outcome ? 'not-applied' : outcome.ok ? 'applied' : 'failed';
      const line = reportLineFor(action, name, state, outcome?.error);
      if (!line.elevoId && outcome?.elevoId) line.elevoId = outcome.elevoId; // created this run
      lines.push(line);
    });
  }
  const skips = await artifacts.requireJson<StoredBatch>(keys.skips(runKey));
  for (const { action, name } of skips.actions) lines.push(reportLineFor(action, name, 'skipped'));
  return { lines, applied, failed };
}
