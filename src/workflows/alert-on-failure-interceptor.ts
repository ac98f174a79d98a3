import {
  ContinueAsNew,
  isCancellation,
  TemporalFailure,
  workflowInfo,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
  type Next,
} from '@temporalio/workflow';
import { raiseAlert } from './raise-alert';

/** Workflow type → connector named in the alert; other workflows (budget, connection check) raise none. */
const CONNECTOR_OF: Record<string, string> = {
  elevoUserSync: 'elevo-user-sync',
  screeningIntake: 'aequivalent-screening',
  screeningOrder: 'aequivalent-screening',
};

/**
 * "A run failed" alert for every connector workflow, in one place: when the workflow fails (a
 * Temporal failure, not a continue-as-new, a cancellation or a bug that only fails the task).
 */
class AlertOnFailure implements WorkflowInboundCallsInterceptor {
  async execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      const info = workflowInfo();
      const connector = CONNECTOR_OF[info.workflowType];
      const tenantId = (input.args[0] as { tenantId?: unknown } | undefined)?.tenantId;
      if (connector && typeof tenantId === 'string' && err instanceof TemporalFailure && !(err instanceof ContinueAsNew) && !isCancellation(err)) {
        await raiseAlert({ kind: 'run-failed', tenantId, connector, runId: info.workflowId, failure: failureType(err) });
      }
      throw err;
    }
  }
}

function failureType(err: TemporalFailure): string {
  const cause = (err as { cause?: { type?: string; name?: string } }).cause;
  return (err as { type?: string }).type ?? cause?.type ?? cause?.name ?? err.name;
}

export const interceptors: WorkflowInterceptorsFactory = () => ({ inbound: [new AlertOnFailure()] });
