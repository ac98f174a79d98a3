import { ApplicationFailure, log, workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { isLegacyUnbound } from '../codec/legacy-unbound-values';
import { PAYLOAD_BINDING_REFUSED, refusalOf, type PayloadRefusal } from '../codec/refused-payload-marker';

/**
 * Refuses what the codec marked as not belonging here (see refused-payload-marker.ts): a payload
 * sealed for another workflow or tenant, or an operator command whose proof does not verify. A start
 * or query fails non-retryably, an update is rejected by its validator (it never enters the
 * history), a signal is dropped and logged — failing the run on a signal would let anyone stop it;
 * an activity or child-workflow result so marked fails the call non-retryably. An old-format payload (no
 * binding) is accepted only while replaying history recorded before the upgrade.
 * Logged with the reason and the message name only, never the content.
 */
type Refusal = PayloadRefusal | 'unbound-old-format';

function refusalIn(args: readonly unknown[]): Refusal | undefined {
  for (const arg of args) {
    const refusal = refusalOf(arg);
    if (refusal) return refusal;
    if (isLegacyUnbound(arg) && !workflowInfo().unsafe.isReplaying) return 'unbound-old-format';
  }
  return undefined;
}

function refuse(what: string, refusal: Refusal): ApplicationFailure {
  log.warn('payload refused', { what, refusal });
  return ApplicationFailure.nonRetryable(`${what} refused: ${describe(refusal)}`, PAYLOAD_BINDING_REFUSED);
}

function describe(refusal: Refusal): string {
  switch (refusal) {
    case 'other-workflow':
      return 'its payload was sealed for another workflow';
    case 'other-tenant':
      return 'its payload was sealed for another tenant';
    case 'unbound':
    case 'unbound-old-format':
      return 'its payload is not bound to this workflow';
    case 'operator-proof-invalid':
      return 'its operator proof does not verify';
    case 'tampered':
      return 'its payload does not open under the key of this workflow (forged or altered)';
    case 'unknown-key':
      return 'its payload names an encryption key this worker has not configured (forged, or the config misses a key: see key rotation)';
  }
}

function checkResult<T>(what: string, result: T): T {
  const refusal = refusalOf(result);
  if (refusal) throw refuse(what, refusal);
  return result;
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        const refusal = refusalIn(input.args);
        if (refusal) throw refuse('workflow start', refusal);
        return next(input);
      },
      async handleSignal(input, next) {
        const refusal = refusalIn(input.args);
        if (refusal) {
          log.warn('signal dropped: payload refused', { signal: input.signalName, refusal });
          return;
        }
        return next(input);
      },
      validateUpdate(input, next) {
        const refusal = refusalIn(input.args);
        if (refusal) throw refuse(`update "${input.name}"`, refusal);
        next(input);
      },
      async handleUpdate(input, next) {
        const refusal = refusalIn(input.args);
        if (refusal) throw refuse(`update "${input.name}"`, refusal);
        return next(input);
      },
      handleQuery(input, next) {
        const refusal = refusalIn(input.args);
        if (refusal) throw refuse(`query "${input.queryName}"`, refusal);
        return next(input);
      },
    },
  ],
  outbound: [
    {
      async scheduleActivity(input, next) {
        return checkResult(`result of activity ${input.activityType}`, await next(input));
      },
      async scheduleLocalActivity(input, next) {
        return checkResult(`result of local activity ${input.activityType}`, await next(input));
      },
      // A child's result is decoded in the child's context: one sealed elsewhere (or forged) is a marker.
      async startChildWorkflowExecution(input, next) {
        const [started, completed] = await next(input);
        const checked = completed.then((result) => checkResult(`result of child workflow ${input.workflowType}`, result));
        // As the SDK does for its own promise: a child's result may never be awaited (no unhandled rejection).
        checked.catch(() => undefined);
        return [started, checked];
      },
    },
  ],
});
