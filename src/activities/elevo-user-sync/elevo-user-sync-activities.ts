import { activityInfo, heartbeat } from '@temporalio/activity';
import { runWithPrerequisites } from './run-with-prerequisites';
import { managerPrerequisites } from '../../domain/elevo-user-sync/action-ordering';
import type { TenantDirectory } from '../../config/tenant-directory';
import { computeSyncPlan } from '../../domain/elevo-user-sync/compute-sync-plan';
import { reportLineFor, type RunReport, type RunReportLine } from '../../domain/elevo-user-sync/run-report';
import type { SafetyReason } from '../../domain/elevo-user-sync/safety-check';
import { employmentState } from '../../domain/elevo-user-sync/source-validation';
import type { SkipAction, SourceEmployee, SyncAction, TargetUser, WriteAction } from '../../domain/elevo-user-sync/sync-model';
import { IntegrationError } from '../../integrations/http/integration-error';
import { countRequests } from '../../integrations/http/json-http-client';
import { elevoErrorCode } from '../../integrations/elevo/elevo-client';
import type { ArtifactStore } from '../../storage/artifact-store';
import type { BatchOutcome, FinalizedRun, PreparedPlan, RecordedDecision } from '../../shared/elevo-user-sync-contract';
import { recordedUpdateIdentity } from './recorded-update-identity';
import { applyElevoAction } from './elevo-action-applier';
import { createElevoSyncLockActivities } from './elevo-sync-lock-activities';
import { readLuccaPopulation } from './elevo-lucca-population';
import { todayIn } from '../tenant-clock';

/** Artifacts of one run, all under its run key (opaque: tenant id, workflow id, run id). */
const keys = {
  summary: (runKey: string) => `${runKey}/plan-summary`,
  batch: (runKey: string, i: number) => `${runKey}/batches/${String(i).padStart(6, '0')}`,
  result: (runKey: string, i: number) => `${runKey}/results/${String(i).padStart(6, '0')}`,
  skips: (runKey: string) => `${runKey}/skips`,
  report: (runKey: string) => `${runKey}/report`,
  lastSuccess: (tenantId: string) => `elevo-user-sync/${tenantId}/last-success`,
};

const HEARTBEAT_EVERY_MS = 1_000;

interface NamedAction {
  action: SyncAction;
  name: string | null;
}
interface StoredBatch {
  actions: NamedAction[];
}
interface StoredResult {
  outcomes: Array<{ ok: boolean; error?: string; elevoId?: string }>;
  elevoRequests: number;
}
interface StoredSummary extends PreparedPlan {
  tenantId: string;
}

export interface ElevoUserSyncDependencies {
  tenants: TenantDirectory;
  artifacts: ArtifactStore;
  now?: () => Date;
}

export function createElevoUserSyncActivities(deps: ElevoUserSyncDependencies) {
  const now = deps.now ?? (() => new Date());
  const suspensionsOf = async (runKey: string): Promise<string[]> => {
    const summary = await deps.artifacts.requireJson<StoredSummary>(keys.summary(runKey));
    const ids: string[] = [];
    for (let i = 0; i < summary.batchCount; i++) {
      const batch = await deps.artifacts.requireJson<StoredBatch>(keys.batch(runKey, i));
      for (const { action } of batch.actions) if (action.kind === 'suspend') ids.push(action.elevoId);
    }
    return ids;
  };

  return {
    // The tenant lock's holder lookup travels with the sync's activities.
    ...createElevoSyncLockActivities(),
    /** Fetch both populations, compute the plan, store it in batches; return only counts. */
    async prepareElevoSyncPlan(input: { tenantId: string; runKey: string; runDate?: string; scheduledAt?: string }): Promise<PreparedPlan> {
      const tenant = deps.tenants.tenant(input.tenantId);
      const elevoConfig = deps.tenants.section(input.tenantId, 'elevo');
      const runDate = input.runDate ?? todayIn(tenant.timeZone, input.scheduledAt ? new Date(input.scheduledAt) : now());
      const lucca = deps.tenants.lucca(input.tenantId);
      const elevo = deps.tenants.elevo(input.tenantId);

      const mapping = { exclusionFieldCode: elevoConfig.exclusion.fieldCode, extraFields: elevoConfig.extraFields };
      const fromLucca = await countRequests(() => readLuccaPopulation(lucca, mapping, input.tenantId));
      const source = fromLucca.result;
      const fromElevo = await countRequests(async () => {
        const target: TargetUser[] = [];
        for await (const page of elevo.listUserPages()) {
          target.push(...page);
          heartbeat({ phase: 'elevo', fetched: target.length });
        }
        return target;
      });
      const target = fromElevo.result;

      const plan = computeSyncPlan(source, target, { today: runDate, exclusionPolicy: elevoConfig.exclusion.policy, extraFieldKeys: Object.keys(elevoConfig.extraFields) });
      const names = displayNames(source, target);
      const nameOf = (a: SyncAction) => (a.luccaId !== undefined ? names.byLucca.get(a.luccaId) : undefined) ?? ('elevoId' in a && a.elevoId ? names.byElevo.get(a.elevoId) : undefined) ?? null;
      const writes = plan.actions.filter((a): a is WriteAction => a.kind !== 'skip');
      const skips = plan.actions.filter((a): a is SkipAction => a.kind === 'skip');
      const batchCount = Math.ceil(writes.length / elevoConfig.batchSize);
      for (let i = 0; i < batchCount; i++) {
        const slice = writes.slice(i * elevoConfig.batchSize, (i + 1) * elevoConfig.batchSize);
        await deps.artifacts.putJson(keys.batch(input.runKey, i), { actions: slice.map((action) => ({ action, name: nameOf(action) })) } satisfies StoredBatch);
      }
      await deps.artifacts.putJson(keys.skips(input.runKey), { actions: skips.map((action) => ({ action, name: nameOf(action) })) } satisfies StoredBatch);

      const previous = await deps.artifacts.getJson<{ sourceCount: number }>(keys.lastSuccess(input.tenantId));
      const summary: StoredSummary = {
        tenantId: input.tenantId,
        runKey: input.runKey,
        runDate,
        counts: plan.counts,
        sourceCount: source.filter((e) => employmentState(e, runDate) === 'active').length,
        targetCount: target.length,
        managedActiveCount: target.filter((u) => u.externalId && u.lockedAttributes.length > 0 && u.status === 'active').length,
        previousSourceCount: previous?.sourceCount ?? null,
        writeCount: writes.length,
        batchCount,
        luccaRequests: fromLucca.requests,
        elevoRequests: fromElevo.requests,
        safety: elevoConfig.safety,
      };
      await deps.artifacts.putJson(keys.summary(input.runKey), summary);
      const { tenantId: _t, ...prepared } = summary;
      return prepared;
    },

    /** Applies one batch, resuming after the last heartbeated action when retried. */
    async applyElevoSyncBatch(input: { tenantId: string; runKey: string; batchIndex: number }): Promise<BatchOutcome> {
      const done = await deps.artifacts.getJson<StoredResult>(keys.result(input.runKey, input.batchIndex));
      if (done) return outcomeOf(done); // completed before, but the completion was lost
      const batch = await deps.artifacts.requireJson<StoredBatch>(keys.batch(input.runKey, input.batchIndex));
      const elevo = deps.tenants.elevo(input.tenantId);
      const resumed = (activityInfo().heartbeatDetails as { outcomes?: StoredResult['outcomes'] } | undefined)?.outcomes ?? [];
      const outcomes: StoredResult['outcomes'] = [...resumed];
      const actions = batch.actions.map((a) => a.action as WriteAction);
      const prerequisites = managerPrerequisites(actions);
      const concurrency = deps.tenants.tenant(input.tenantId).elevo?.concurrency ?? 1;
      // Outcomes complete out of order: the heartbeat carries the contiguous prefix, so a retry
      // resumes there and repeats at most `concurrency` writes, all of them idempotent.
      let prefix = outcomes.length;
      let lastBeat = Date.now();
      const { requests } = await countRequests(() =>
        runWithPrerequisites(
          actions.length,
          concurrency,
          (i) => prerequisites[i],
          async (i) => {
            try {
              const elevoId = await applyElevoAction(elevo, actions[i]!, input.runKey);
              outcomes[i] = elevoId ? { ok: true, elevoId } : { ok: true };
            } catch (err) {
              // One bad record is one failed line; only transient errors retry the batch.
              if (err instanceof IntegrationError && !err.retryable && err.kind !== 'authentication' && err.kind !== 'permission') {
                // Data-free code: failure type, HTTP status, the contract's error code (e.g. `email_taken`).
                const code = elevoErrorCode(err);
                outcomes[i] = { ok: false, error: `${err.failureType}${err.status ? `:${err.status}` : ''}${code ? `:${code}` : ''}` };
              } else throw err;
            }
          },
          () => {
            while (prefix < actions.length && outcomes[prefix] !== undefined) prefix++;
            // At most once a second: each heartbeat encodes and seals the growing list, and the SDK
            // forwards details to the server only every tens of seconds anyway (throttling).
            if (Date.now() - lastBeat >= HEARTBEAT_EVERY_MS) {
              heartbeat({ outcomes: outcomes.slice(0, prefix) });
              lastBeat = Date.now();
            }
          },
          outcomes.length,
        ),
      );
      const result: StoredResult = { outcomes, elevoRequests: requests };
      await deps.artifacts.putJson(keys.result(input.runKey, input.batchIndex), result);
      return outcomeOf(result);
    },

    /**
     * After an approval the run re-plans on the current data; the approval covered the suspensions
     * of the held plan. Counts the fresh plan's suspensions that were not in it (ids stay here).
     */
    async countUnapprovedSuspensions(input: { approvedRunKey: string; runKey: string }): Promise<{ unapproved: number }> {
      const approved = new Set(await suspensionsOf(input.approvedRunKey));
      return { unapproved: (await suspensionsOf(input.runKey)).filter((id) => !approved.has(id)).length };
    },

    /** Builds the full report (stored), records the last successful population, returns counts. */
    async finalizeElevoSyncRun(input: {
      tenantId: string;
      runKey: string;
      status: FinalizedRun['status'];
      holdReasons: SafetyReason[];
      decision?: RecordedDecision;
    }): Promise<FinalizedRun> {
      const decision = input.decision?.request
        ? { ...input.decision, temporalIdentity: await recordedUpdateIdentity(input.decision.request).catch(() => undefined) }
        : input.decision;
      const summary = await deps.artifacts.requireJson<StoredSummary>(keys.summary(input.runKey));
      const lines: RunReportLine[] = [];
      let applied = 0;
      let failed = 0;
      for (let i = 0; i < summary.batchCount; i++) {
        const batch = await deps.artifacts.requireJson<StoredBatch>(keys.batch(input.runKey, i));
        const result = input.status === 'completed' ? await deps.artifacts.getJson<StoredResult>(keys.result(input.runKey, i)) : undefined;
        batch.actions.forEach(({ action, name }, j) => {
          const outcome = result?.outcomes[j];
          if (outcome?.ok) applied++;
          if (outcome && !outcome.ok) failed++;
          const state = input.status === 'dry-run' ? 'planned' : !outcome ? 'not-applied' : outcome.ok ? 'applied' : 'failed';
          const line = reportLineFor(action, name, state, outcome?.error);
          if (!line.elevoId && outcome?.elevoId) line.elevoId = outcome.elevoId; // created this run
          lines.push(line);
        });
      }
      const skips = await deps.artifacts.requireJson<StoredBatch>(keys.skips(input.runKey));
      for (const { action, name } of skips.actions) lines.push(reportLineFor(action, name, 'skipped'));
      const report: RunReport = {
        tenantId: input.tenantId,
        runKey: input.runKey,
        runDate: summary.runDate,
        status: input.status,
        generatedAt: now().toISOString(),
        planned: summary.counts,
        applied,
        failed,
        holdReasons: input.holdReasons,
        decision,
        lines,
      };
      await deps.artifacts.putJson(keys.report(input.runKey), report);
      if (input.status === 'completed') {
        await deps.artifacts.putJson(keys.lastSuccess(input.tenantId), { sourceCount: summary.sourceCount, runDate: summary.runDate, runKey: input.runKey });
      }
      return {
        tenantId: input.tenantId,
        runKey: input.runKey,
        runDate: summary.runDate,
        status: input.status,
        planned: summary.counts,
        applied,
        failed,
        holdReasons: input.holdReasons,
        decision,
        reportKey: keys.report(input.runKey),
        luccaRequests: summary.luccaRequests,
      };
    },
  };
}

function outcomeOf(result: StoredResult): BatchOutcome {
  const failed = result.outcomes.filter((o) => !o.ok).length;
  return { applied: result.outcomes.length - failed, failed, elevoRequests: result.elevoRequests };
}

function displayNames(source: SourceEmployee[], target: TargetUser[]) {
  const full = (first: string | null, last: string | null) => [first, last].filter(Boolean).join(' ') || null;
  const byLucca = new Map<number, string | null>(source.map((e) => [e.luccaId, full(e.firstName, e.lastName)]));
  const byElevo = new Map<string, string | null>(target.map((u) => [u.elevoId, full(u.firstName, u.lastName)]));
  return { byLucca, byElevo };
}
