import { Context, heartbeat } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';

/** Liveness beats per heartbeat timeout: one lost or late beat still leaves two before it expires. */
const BEATS_PER_TIMEOUT = 3;

/** The last progress each running attempt reported, which its liveness beats repeat. */
const lastProgress = new WeakMap<Context, { details: unknown }>();

/**
 * Records progress a retried attempt resumes from (`activityInfo().heartbeatDetails`). Use it
 * instead of `heartbeat`: the liveness beats below repeat these details rather than erase them.
 */
export function heartbeatProgress(details: unknown): void {
  lastProgress.set(Context.current(), { details });
  heartbeat(details);
}

/**
 * Heartbeats every activity that has a heartbeat timeout, a few times per timeout, for as long as
 * its process is alive. A SIGKILLed worker stops beating, so the server retries its activities
 * elsewhere one heartbeat timeout later (seconds), while a slow request or a wait for a Lucca permit
 * on a live worker is never mistaken for a dead one. A hung process is still bounded by start-to-close.
 */
export class LivenessHeartbeatInterceptor implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const context = Context.current();
    const timeoutMs = context.info.heartbeatTimeoutMs;
    if (!timeoutMs || context.info.isLocal) return next(input);
    // Until this attempt reports progress, repeat the previous attempt's checkpoint (not nothing).
    const details = () => (lastProgress.has(context) ? lastProgress.get(context)!.details : context.info.heartbeatDetails);
    const timer = setInterval(() => context.heartbeat(details()), timeoutMs / BEATS_PER_TIMEOUT);
    try {
      return await next(input);
    } finally {
      clearInterval(timer);
    }
  }
}
