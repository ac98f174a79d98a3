import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, log, setHandler, workflowInfo } from '@temporalio/workflow';
import { declareVersioningBehavior } from './versioning-behavior';
import {
  acquireLuccaPermitUpdate,
  luccaBudgetStateQuery,
  pauseLuccaBudgetSignal,
  returnLuccaPermitSignal,
  type LuccaBudgetInput,
} from '../shared/lucca-budget-contract';
import { PermitLedger } from '../shared/lucca-permit-ledger';
import { budgetInputProblem, pauseOf, returnedPermitOf, validatePermitAsk } from '../shared/lucca-budget-messages';

const UPDATES_PER_RUN = 1_000; // the server accepts 2,000 updates per run
const IDLE_EXIT_MS = 10 * 60_000;

// Long-lived per Lucca domain (continues as new): moves to each release; changes need patched().
declareVersioningBehavior('AUTO_UPGRADE', luccaRequestBudget);

/**
 * Sliding-window request budget for one Lucca domain (rules in `PermitLedger`). Each
 * `acquirePermit` update reserves a slot and answers how long to wait for it — relative to the
 * workflow's (server) clock, so worker clocks never matter. The limit is the lowest one callers
 * asked with in the last minute, so a lowered `requestsPerMinute` applies with the next request.
 * Started on demand (update-with-start), gone after 10 idle minutes.
 */
export async function luccaRequestBudget(input: LuccaBudgetInput): Promise<void> {
  const problem = budgetInputProblem(input);
  if (problem) throw ApplicationFailure.nonRetryable(`refused: invalid Lucca budget input (${problem})`, 'InvalidBudgetInput');
  const ledger = new PermitLedger(input.windowMs, input.carried, Date.now());
  let updates = 0;
  let lastActivity = Date.now();

  setHandler(luccaBudgetStateQuery, () => ledger.state(Date.now(), input.domainKey));
  // Signals cannot be refused to their sender: a malformed one is dropped and logged (name only).
  setHandler(pauseLuccaBudgetSignal, (message) => {
    const forMs = pauseOf(message);
    if (forMs === undefined) return dropped('pause');
    ledger.pause(Date.now(), forMs);
  });
  setHandler(returnLuccaPermitSignal, (message) => {
    const permitId = returnedPermitOf(message);
    if (permitId === undefined) return dropped('returnPermit');
    ledger.giveBack(permitId);
  });
  setHandler(
    acquireLuccaPermitUpdate,
    (ask) => {
      updates++;
      lastActivity = Date.now();
      return ledger.ask(lastActivity, ask);
    },
    { validator: validatePermitAsk },
  );

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

function dropped(signal: string): void {
  log.warn('malformed signal dropped', { signal });
}
