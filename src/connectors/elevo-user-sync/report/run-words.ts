import { ELEVO_USER_SYNC, type ElevoSyncResult } from '../contract';
import type { RunWords } from '../../../reports/run-words';

/** `runs`: an Elevo sync in words (counts only). */
export const elevoRunWords: Record<string, RunWords> = {
  [ELEVO_USER_SYNC]: {
    finished(result, runState) {
      const r = result as ElevoSyncResult | undefined;
      if (!r) return runState;
      const planned = Object.entries(r.planned)
        .filter(([k, n]) => n > 0 && k !== 'noop' && k !== 'unmanaged' && k !== 'skip')
        .map(([k, n]) => `${n} ${k}`)
        .join(', ');
      if (r.status === 'dry-run') return `dry run: would ${planned || 'change nothing'}; ${r.planned.skip} skipped`;
      if (r.status === 'rejected') return `rejected by ${r.decision?.by ?? '?'}: nothing written`;
      if (r.status === 'approval-timed-out') return 'not approved in time: nothing written';
      return `${r.applied} applied, ${r.failed} failed, ${r.planned.skip} skipped${planned ? ` (${planned})` : ''}`;
    },
    running: (runState) => (runState === 'held' ? 'held: waiting for approve / reject' : undefined),
  },
};
