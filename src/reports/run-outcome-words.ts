import type { ElevoSyncResult } from '../shared/elevo-user-sync-contract';
import type { ScreeningIntakeResult, ScreeningOrderResult } from '../shared/screening-order-contract';

/**
 * One line per run for `lucca-connectors runs`: counts or the outcome in words, from the run's
 * result (closed runs) or its state search attribute (running ones). No personal data.
 */
export function runOutcomeWords(workflowType: string, temporalStatus: string, runState: string, result: unknown): string {
  if (temporalStatus === 'RUNNING') return runningWords(workflowType, runState);
  if (temporalStatus !== 'COMPLETED') return `${temporalStatus.toLowerCase().replace(/_/g, ' ')} (see the Web UI)`;
  switch (workflowType) {
    case 'elevoUserSync': {
      const r = result as ElevoSyncResult | undefined;
      if (!r) return runState;
      const planned = Object.entries(r.planned).filter(([k, n]) => n > 0 && k !== 'noop' && k !== 'unmanaged' && k !== 'skip').map(([k, n]) => `${n} ${k}`).join(', ');
      if (r.status === 'dry-run') return `dry run: would ${planned || 'change nothing'}; ${r.planned.skip} skipped`;
      if (r.status === 'rejected') return `rejected by ${r.decision?.by ?? '?'}: nothing written`;
      if (r.status === 'approval-timed-out') return 'not approved in time: nothing written';
      return `${r.applied} applied, ${r.failed} failed, ${r.planned.skip} skipped${planned ? ` (${planned})` : ''}`;
    }
    case 'screeningIntake': {
      const r = result as ScreeningIntakeResult | undefined;
      if (!r) return runState;
      return `${r.started.length} ordered, ${r.restarted.length} re-run, ${r.joined.length} in progress, ${r.refused.length} refused, ${r.skipped?.length ?? 0} skipped`;
    }
    case 'screeningOrder': {
      const r = result as ScreeningOrderResult | undefined;
      const outcome = r?.outcome ?? runState;
      const problems = r?.problems?.length ? `; ${r.problems.length} problem(s): ${r.problems.map((p) => p.code).join(', ')}` : '';
      return `${outcome.replace(/_/g, ' ')}${problems}`;
    }
    default:
      return runState;
  }
}

function runningWords(workflowType: string, runState: string): string {
  if (workflowType === 'elevoUserSync' && runState === 'held') return 'held: waiting for approve / reject';
  if (workflowType === 'screeningOrder' && runState === 'following') return 'ordered, waiting for Aequivalent';
  if (workflowType === 'screeningOrder' && runState === 'writing-back') return 'ordered, writing the status back to Lucca';
  return runState ? runState.replace(/-/g, ' ') : 'running';
}
