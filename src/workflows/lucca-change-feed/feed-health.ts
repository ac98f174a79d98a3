import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, workflowInfo } from '@temporalio/workflow';
import { judgeHealth, type HealthFacts } from '../../domain/freshness/judge-health';
import { healthAlertWorthy, type ConnectorHealth } from '../../shared/connector-health';
import { raiseAlert } from '../raise-alert';

/** The health of one tenant × connector as its feed lives it; alerts on entering failing / needs-action and on recovery. */
export class FeedHealthTracker {
  readonly health: ConnectorHealth;
  private readonly facts: HealthFacts = { active: true, consecutiveFailures: 0 };

  constructor(
    private readonly tenantId: string,
    private readonly connector: string,
    carried?: ConnectorHealth,
  ) {
    this.health = carried ?? {
      state: 'healthy',
      reason: 'starting',
      since: new Date().toISOString(),
      consecutiveFailures: 0,
      pending: 0,
      pollRequests: 0,
      polls: 0,
    };
    this.facts.consecutiveFailures = this.health.consecutiveFailures;
  }

  succeeded(freshAsOf?: string): void {
    this.facts.consecutiveFailures = 0;
    this.facts.permanentFailure = undefined;
    this.health.lastSuccessAt = new Date().toISOString();
    if (freshAsOf) this.health.freshAsOf = freshAsOf;
  }

  failed(err: unknown): void {
    const { type, permanent } = describeFailure(err);
    this.facts.lastFailure = type;
    if (permanent) this.facts.permanentFailure = type;
    else this.facts.consecutiveFailures++;
  }

  applied(oldestObservedAt: string | undefined): void {
    if (oldestObservedAt) this.health.lastApplyLagSeconds = Math.max(0, Math.round((Date.now() - Date.parse(oldestObservedAt)) / 1000));
  }

  /** Re-judges; an alert goes out when the state crosses into or out of trouble. */
  async judge(active: boolean, pending: number, oldestPending: string | undefined, applyStartedAt: number | undefined): Promise<void> {
    this.facts.active = active;
    this.facts.oldestPendingMs = oldestPending ? Date.now() - Date.parse(oldestPending) : undefined;
    this.facts.applyRunningMs = applyStartedAt === undefined ? undefined : Date.now() - applyStartedAt;
    const { state, reason } = judgeHealth(this.facts);
    const previous = this.health.state;
    Object.assign(this.health, { reason, pending, consecutiveFailures: this.facts.consecutiveFailures });
    if (state === previous) return;
    Object.assign(this.health, { state, since: new Date().toISOString() });
    if (healthAlertWorthy(previous, state)) {
      await raiseAlert({
        kind: 'connector-health',
        tenantId: this.tenantId,
        connector: this.connector,
        runId: workflowInfo().workflowId,
        state,
        previous,
        reason,
      });
    }
  }
}

/** The failure type an operator can look up, and whether a retry could ever fix it. */
export function describeFailure(err: unknown): { type: string; permanent: boolean } {
  let cause: unknown = err;
  while (cause instanceof ActivityFailure || cause instanceof ChildWorkflowFailure) cause = cause.cause;
  if (cause instanceof ApplicationFailure)
    return { type: cause.type ?? 'ApplicationFailure', permanent: cause.nonRetryable === true && !BUSY.has(cause.type ?? '') };
  return { type: cause instanceof Error ? cause.name : 'unknown', permanent: false };
}

/** Not a fault: another run holds the tenant, or the shared Lucca budget is busy with daily runs. */
const BUSY = new Set(['ElevoSyncAlreadyRunning', 'LuccaBudgetBusy']);

export function isBusy(err: unknown): boolean {
  return BUSY.has(describeFailure(err).type);
}
