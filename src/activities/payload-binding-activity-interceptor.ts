import { ApplicationFailure, log } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { PAYLOAD_BINDING_REFUSED, refusalOf } from '../codec/refused-payload-marker';

/**
 * An activity whose input was sealed for another workflow or tenant than the one that scheduled it
 * (the codec replaced it with a refusal marker) fails at once, non-retryably, before running; the
 * log names the refusal, never the content.
 */
export class PayloadBindingActivityInterceptor implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const refusal = input.args.map(refusalOf).find((r) => r !== undefined);
    if (refusal) {
      log.warn('activity input refused', { refusal });
      throw ApplicationFailure.nonRetryable(
        `activity input refused: sealed for ${refusal === 'other-tenant' ? 'another tenant' : 'another workflow'}`,
        PAYLOAD_BINDING_REFUSED,
      );
    }
    return next(input);
  }
}
