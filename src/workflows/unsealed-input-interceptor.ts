import { ApplicationFailure, log, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { isUnsealedMarker, UNSEALED_INPUT_REFUSED } from '../codec/unsealed-input-marker';

/**
 * Refuses workflow inputs that were not encrypted with our payload keys (see StrictDecodingCodec):
 * a start fails at once with a non-retryable failure, an update is rejected before it is accepted
 * (or failed, for an update without a validator), a signal is dropped with a warning — failing the
 * workflow on a signal would let anyone stop any run.
 */
const refused = (what: string) =>
  ApplicationFailure.nonRetryable(`${what} refused: its payload is not encrypted with the connectors' keys`, UNSEALED_INPUT_REFUSED);
const carriesUnsealed = (args: unknown[]) => args.some(isUnsealedMarker);

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        if (carriesUnsealed(input.args)) throw refused('workflow start');
        return next(input);
      },
      async handleSignal(input, next) {
        if (carriesUnsealed(input.args)) {
          log.warn('unencrypted signal dropped', { signal: input.signalName });
          return;
        }
        return next(input);
      },
      validateUpdate(input, next) {
        if (carriesUnsealed(input.args)) throw refused(`update "${input.name}"`);
        next(input);
      },
      async handleUpdate(input, next) {
        if (carriesUnsealed(input.args)) throw refused(`update "${input.name}"`);
        return next(input);
      },
    },
  ],
});
