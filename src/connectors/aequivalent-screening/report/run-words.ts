import { SCREENING_INTAKE, SCREENING_ORDER, type ScreeningIntakeResult, type ScreeningOrderResult } from '../contract';
import type { RunWords } from '../../../reports/run-words';

const ORDER_RUNNING: Record<string, string> = {
  following: 'ordered, waiting for Aequivalent',
  'writing-back': 'ordered, writing the status back to Lucca',
};

/** `runs`: an intake and an order in words (counts, outcomes and problem codes; never a result's content beyond its outcome). */
export const screeningRunWords: Record<string, RunWords> = {
  [SCREENING_INTAKE]: {
    finished(result, runState) {
      const r = result as ScreeningIntakeResult | undefined;
      if (!r) return runState;
      return `${r.started.length} ordered, ${r.restarted.length} re-run, ${r.joined.length} in progress, ${r.refused.length} refused, ${r.skipped?.length ?? 0} skipped`;
    },
  },
  [SCREENING_ORDER]: {
    finished(result, runState) {
      const r = result as ScreeningOrderResult | undefined;
      const outcome = r?.outcome ?? runState;
      const problems = r?.problems?.length ? `; ${r.problems.length} problem(s): ${r.problems.map((p) => p.code).join(', ')}` : '';
      return `${outcome.replace(/_/g, ' ')}${problems}`;
    },
    running: (runState) => ORDER_RUNNING[runState],
  },
};
