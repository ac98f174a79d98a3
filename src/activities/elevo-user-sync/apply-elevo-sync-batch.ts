import { activityInfo } from '@temporalio/activity';
import { heartbeatProgress } from '../activity-heartbeats';
import { managerPrerequisites } from '../../connectors/elevo-user-sync/domain/action-ordering';
import type { WriteAction } from '../../connectors/elevo-user-sync/domain/sync-model';
import { elevoErrorCode, type ElevoClient } from '../../connectors/elevo-user-sync/elevo/client';
import { IntegrationError } from '../../integrations/http/integration-error';
import { countRequests } from '../../integrations/http/json-http-client';
import type { BatchOutcome } from '../../connectors/elevo-user-sync/contract';
import type { ActivityDependencies } from '../activity-dependencies';
import { applyElevoAction } from './elevo-action-applier';
import { batchOutcomeOf, elevoSyncKeys as keys, type StoredBatch, type StoredResult } from './elevo-sync-artifacts';
import { runWithPrerequisites } from './run-with-prerequisites';
import { elevoClientOf } from '../../connectors/elevo-user-sync/elevo/client-for-tenant';

const HEARTBEAT_EVERY_MS = 1_000;

type Outcome = StoredResult['outcomes'][number];

/** Applies one batch, `elevo.concurrency` writes at a time, resuming after the last heartbeated prefix when retried. */
export async function applyElevoSyncBatch(
  deps: ActivityDependencies,
  input: { tenantId: string; runKey: string; batchIndex: number },
): Promise<BatchOutcome> {
  const done = await deps.artifacts.getJson<StoredResult>(keys.result(input.runKey, input.batchIndex));
  if (done) return batchOutcomeOf(done); // completed before, but the completion was lost
  const batch = await deps.artifacts.requireJson<StoredBatch>(keys.batch(input.runKey, input.batchIndex));
  const elevo = elevoClientOf(deps.tenants, input.tenantId);
  const resumed = (activityInfo().heartbeatDetails as { outcomes?: Outcome[] } | undefined)?.outcomes ?? [];
  const outcomes: Outcome[] = [...resumed];
  const actions = batch.actions.map((a) => a.action as WriteAction);
  const prerequisites = managerPrerequisites(actions);
  const concurrency = deps.tenants.tenant(input.tenantId).elevo?.concurrency ?? 1;
  const beat = prefixHeartbeat(outcomes, actions.length);
  const { requests } = await countRequests(() =>
    runWithPrerequisites(
      actions.length,
      concurrency,
      (i) => prerequisites[i],
      async (i) => {
        outcomes[i] = await applyOne(elevo, actions[i]!, input.runKey);
      },
      beat,
      outcomes.length,
    ),
  );
  const result: StoredResult = { outcomes, elevoRequests: requests };
  await deps.artifacts.putJson(keys.result(input.runKey, input.batchIndex), result);
  return batchOutcomeOf(result);
}

/** One write; a record Elevo refuses for good is one failed line, only transient errors retry the batch. */
async function applyOne(elevo: ElevoClient, action: WriteAction, runKey: string): Promise<Outcome> {
  try {
    const elevoId = await applyElevoAction(elevo, action, runKey);
    return elevoId ? { ok: true, elevoId } : { ok: true };
  } catch (err) {
    if (!(err instanceof IntegrationError) || err.retryable || err.kind === 'authentication' || err.kind === 'permission') throw err;
    // Data-free code: failure type, HTTP status, the contract's error code (e.g. `email_taken`).
    const code = elevoErrorCode(err);
    return { ok: false, error: `${err.failureType}${err.status ? `:${err.status}` : ''}${code ? `:${code}` : ''}` };
  }
}

/**
 * Outcomes complete out of order: the heartbeat carries the contiguous prefix, so a retry resumes
 * there and repeats at most `concurrency` writes, all of them idempotent.
 */
function prefixHeartbeat(outcomes: Outcome[], total: number): () => void {
  let prefix = outcomes.length;
  let lastBeat = Date.now();
  return () => {
    while (prefix < total && outcomes[prefix] !== undefined) prefix++;
    // At most once a second: each heartbeat encodes and seals the growing list, and the SDK
    // forwards details to the server only every tens of seconds anyway (throttling).
    if (Date.now() - lastBeat >= HEARTBEAT_EVERY_MS) {
      heartbeatProgress({ outcomes: outcomes.slice(0, prefix) });
      lastBeat = Date.now();
    }
  };
}
