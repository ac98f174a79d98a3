import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  acquireLuccaPermitUpdate,
  luccaBudgetStateQuery,
  pauseLuccaBudgetSignal,
  returnLuccaPermitSignal,
  type LuccaBudgetInput,
} from '../shared/lucca-budget-contract';
import { PermitLedger } from '../shared/lucca-permit-ledger';

const UPDATES_PER_RUN = 1_000; // the server accepts 2,000 updates per run
const IDLE_EXIT_MS = 10 * 60_000;

/**
 * Sliding-window request budget for one Lucca domain (rules in `PermitLedger`). Each
 * `acquirePermit` update reserves a slot and answers how long to wait for it — relative to the
 * workflow's (server) clock, so worker clocks never matter. The limit is the lowest one callers
 * asked with in the last minute, so a lowered `requestsPerMinute` applies with the next request.
 * Started on demand (update-with-start), gone after 10 idle minutes.
 */
export async function luccaRequestBudget(input: LuccaBudgetInput): Promise<void> {
  const ledger = new PermitLedger(input.windowMs, input.carried, Date.now());
  let updates = 0;
  let lastActivity = Date.now();

  setHandler(luccaBudgetStateQuery, () => ledger.state(Date.now(), input.domainKey));
  setHandler(pauseLuccaBudgetSignal, ({ forMs }) => ledger.pause(Date.now(), forMs));
  setHandler(returnLuccaPermitSignal, ({ permitId }) => ledger.giveBack(permitId));
  setHandler(acquireLuccaPermitUpdate, (ask) => {
    updates++;
    lastActivity = Date.now();
    return ledger.ask(lastActivity, ask);
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
  await continueAsNew<typeof luccaRequestBudget>({ ...input, carried: ledger.carry(Date.now()) });
}
