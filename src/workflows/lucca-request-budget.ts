import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { declareVersioningBehavior } from './versioning-behavior';
import {
  acquireLuccaPermitUpdate,
  luccaBudgetStateQuery,
  pauseLuccaBudgetSignal,
  type LuccaBudgetInput,
  type LuccaPermit,
} from '../shared/lucca-budget-contract';

const UPDATES_PER_RUN = 1_000; // the server accepts 2,000 updates per run
const IDLE_EXIT_MS = 10 * 60_000;
/** Reserve at most this far ahead; later callers come back instead of waiting in a long queue. */
const MAX_AHEAD_MS = 30_000;

// Long-lived per Lucca domain (continues as new): moves to each release; changes need patched().
declareVersioningBehavior('AUTO_UPGRADE', luccaRequestBudget);

/**
 * Sliding-window request budget for one Lucca domain. Each `acquirePermit` update reserves the
 * earliest send time that keeps every window of `windowMs` at `perMinute` requests or fewer (and
 * after any 429 pause); reservations only move forward, so the rule holds for all of them. Started on
 * demand (update-with-start), gone after 10 idle minutes.
 */
export async function luccaRequestBudget(input: LuccaBudgetInput): Promise<void> {
  const reserved: number[] = [...(input.grantedAt ?? [])];
  let pausedUntil = input.pausedUntil ?? 0;
  let updates = 0;
  let totalGranted = 0;
  let lastActivity = Date.now();

  const prune = (now: number) => {
    while (reserved.length > 0 && reserved[0]! <= now - input.windowMs) reserved.shift();
  };

  setHandler(luccaBudgetStateQuery, () => ({
    domainKey: input.domainKey,
    perMinute: input.perMinute,
    grantedInWindow: reserved.filter((t) => t > Date.now() - input.windowMs).length,
    pausedUntil,
    totalGranted,
  }));
  setHandler(pauseLuccaBudgetSignal, ({ untilMs }) => {
    pausedUntil = Math.max(pausedUntil, untilMs);
  });
  setHandler(acquireLuccaPermitUpdate, (): LuccaPermit => {
    const now = Date.now();
    updates++;
    lastActivity = now;
    prune(now);
    let at = Math.max(now, pausedUntil);
    if (reserved.length >= input.perMinute) at = Math.max(at, reserved[reserved.length - input.perMinute]! + input.windowMs);
    if (at - now > MAX_AHEAD_MS) return { retryAt: at - MAX_AHEAD_MS };
    reserved.push(at);
    totalGranted++;
    return { at };
  });

  for (;;) {
    const busy = await condition(() => updates >= UPDATES_PER_RUN || workflowInfo().continueAsNewSuggested, IDLE_EXIT_MS);
    if (busy) break;
    if (Date.now() - lastActivity >= IDLE_EXIT_MS) {
      await condition(allHandlersFinished);
      return; // idle: the next request starts a fresh budget (with an empty window, as Lucca's is by now)
    }
  }
  await condition(allHandlersFinished);
  prune(Date.now());
  await continueAsNew<typeof luccaRequestBudget>({ ...input, grantedAt: reserved, pausedUntil });
}
