import { ApplicationFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { CodecKeyError } from '../codec/aes-gcm-payload-codec';
import { SecretResolutionError } from '../config/secret-reference';
import { ConnectorNotConfiguredError, UnknownTenantError } from '../config/tenant-directory';
import { IntegrationError } from '../integrations/http/integration-error';

/**
 * Turns the typed errors of our integration clients into Temporal failures, in one place:
 * retryable ones keep retrying (after Retry-After when the remote gave one); authentication,
 * permission and bad-request errors fail at once with a stable type such as `LuccaAuthenticationError`.
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
  // A payload or artifact sealed with a key we no longer have will not open on a retry either.
  if (err instanceof CodecKeyError) return ApplicationFailure.nonRetryable(err.message, 'CodecKeyError');
  if (err instanceof SecretResolutionError) return ApplicationFailure.nonRetryable(err.message, 'SecretResolutionError');
  if (err instanceof UnknownTenantError) return ApplicationFailure.nonRetryable(err.message, 'UnknownTenantError');
  if (err instanceof ConnectorNotConfiguredError) return ApplicationFailure.nonRetryable(err.message, 'ConnectorNotConfiguredError');
  return err;
}
