import { ApplicationFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { IntegrationError } from '../integrations/http/integration-error';
import { PermanentError } from '../shared/permanent-error';

/**
 * Turns our typed errors into Temporal failures, in one place — the only place where retryability
 * is decided: an `IntegrationError` is retried when its kind can heal (429, timeouts, 5xx, network;
 * after Retry-After when the remote gave one) and otherwise fails at once with a stable type such as
 * `LuccaAuthenticationError`; a `PermanentError` (config, secrets, keys) fails at once. Workflows
 * therefore list no non-retryable error types.
 */
export class IntegrationFailureInterceptor implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      throw toFailure(err);
    }
  }
}

export function toFailure(err: unknown): unknown {
  if (err instanceof IntegrationError) {
    return ApplicationFailure.create({
      message: err.message,
      type: err.failureType,
      nonRetryable: !err.retryable,
      nextRetryDelay: err.retryAfterMs !== undefined ? Math.max(err.retryAfterMs, 1000) : undefined,
      details: [{ system: err.system, kind: err.kind, status: err.status ?? null, tenantId: err.tenantId }],
    });
  }
  if (err instanceof PermanentError) return ApplicationFailure.nonRetryable(err.message, err.failureType);
  return err;
}
