import { allHandlersFinished, condition, continueAsNew, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import {
  acquireLuccaPermitUpdate,
  luccaBudgetStateQuery,
  pauseLuccaBudgetSignal,
  type LuccaBudgetInput,
} from '../shared/lucca-budget-contract';

const GRANTS_PER_RUN = 400; // well under the 2,000 updates a run accepts
const IDLE_EXIT_MS = 10 * 60_000;

/**
 * Sliding-window request budget for one Lucca domain. Each `acquirePermit` update returns when a
 * request may be sent; permits are granted one at a time, in arrival order, never more than
 * `perMinute` in any window. Started on demand (update-with-start) and gone after 10 idle minutes.
 */
export async function luccaRequestBudget(input: LuccaBudgetInput): Promise<void> {
  const granted: number[] = [...(input.grantedAt ?? [])];
  let pausedUntil = input.pausedUntil ?? 0;
  let totalGranted = 0;
  let lastActivity = Date.now();
  let queue: Promise<unknown> = Promise.resolve();

  setHandler(luccaBudgetStateQuery, () => ({
    domainKey: input.domainKey,
    perMinute: input.perMinute,
    grantedInWindow: granted.filter((t) => t > Date.now() - input.windowMs).length,
    pausedUntil,
    totalGranted,
  }));
  setHandler(pauseLuccaBudgetSignal, ({ untilMs }) => {
    pausedUntil = Math.max(pausedUntil, untilMs);
  });
  setHandler(acquireLuccaPermitUpdate, () => {
    // Serialise grants: each waits for the previous one, then for a free slot in the window.
    const turn = queue.then(async () => {
      for (;;) {
        const now = Date.now();
        while (granted.length > 0 && granted[0]! <= now - input.windowMs) granted.shift();
        const waitMs = Math.max(pausedUntil - now, granted.length >= input.perMinute ? granted[0]! + input.windowMs - now : 0);
        if (waitMs <= 0) break;
        await sleep(waitMs);
      }
      const grantedAt = Date.now();
      granted.push(grantedAt);
      totalGranted++;
      lastActivity = grantedAt;
      return { grantedAt };
    });
    queue = turn;
    return turn;
  });

  for (;;) {
    const busy = await condition(() => totalGranted >= GRANTS_PER_RUN || workflowInfo().continueAsNewSuggested, IDLE_EXIT_MS);
    if (busy) break;
    if (Date.now() - lastActivity >= IDLE_EXIT_MS) {
      await condition(allHandlersFinished);
      return; // idle: the next request starts a fresh budget (with an empty window, as Lucca's is by now)
    }
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof luccaRequestBudget>({ ...input, grantedAt: granted.filter((t) => t > Date.now() - input.windowMs), pausedUntil });
}
