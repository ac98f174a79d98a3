import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';

/** One wait for a permit never exceeds this: a waiting activity holds a worker slot other tenants need. */
const MAX_SINGLE_WAIT_MS = 30_000;
/** All permit waits of one attempt together stay under this share of its start-to-close timeout. */
const SHARE_OF_TIMEOUT = 1 / 3;

const spentByAttempt = new WeakMap<Context, number>();

/**
 * How long the current activity attempt may still wait for Lucca permits, so waiting never eats its
 * timeout: at most a third of start-to-close in total, 30 s per wait (the worker's liveness beats
 * keep the heartbeat timeout from expiring meanwhile: LivenessHeartbeatInterceptor). Past it the
 * activity fails with `LuccaBudgetBusy` and a `nextRetryDelay`: the wait continues before the next
 * attempt starts, with no worker slot held.
 */
export class ActivityWaitAllowance {
  private constructor(private readonly context: Context) {}

  static current(): ActivityWaitAllowance | undefined {
    try {
      return new ActivityWaitAllowance(Context.current());
    } catch {
      return undefined;
    }
  }

  maxWaitMs(): number {
    const info = this.context.info;
    const total = info.startToCloseTimeoutMs * SHARE_OF_TIMEOUT - (spentByAttempt.get(this.context) ?? 0);
    return Math.max(0, Math.min(MAX_SINGLE_WAIT_MS, total));
  }

  spend(ms: number): void {
    spentByAttempt.set(this.context, (spentByAttempt.get(this.context) ?? 0) + ms);
  }
}

/** Retryable, after `retryInMs`: Temporal holds the retry, not a worker slot. */
export function luccaBudgetBusy(retryInMs: number, why: string): ApplicationFailure {
  return ApplicationFailure.create({
    message: `Lucca request budget busy: ${why}`,
    type: 'LuccaBudgetBusy',
    nextRetryDelay: Math.max(1_000, Math.ceil(retryInMs)),
  });
}
