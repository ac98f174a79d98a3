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
import { CONNECTOR } from '../shared/search-attributes';
import { raiseAlert } from './raise-alert';

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
      // A connector's workflows carry its name in the `LuccaConnector` search attribute (set by their
      // starter or by the workflow itself); the budget and the connection check have none: no alert.
      const connector = info.typedSearchAttributes.get(CONNECTOR);
      const tenantId = (input.args[0] as { tenantId?: unknown } | undefined)?.tenantId;
      if (
        connector &&
        typeof tenantId === 'string' &&
        err instanceof TemporalFailure &&
        !(err instanceof ContinueAsNew) &&
        !isCancellation(err)
      ) {
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
