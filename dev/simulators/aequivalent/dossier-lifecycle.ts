import type { DossierResult, DossierStatus } from '../../../src/connectors/aequivalent-screening/aequivalent/schemas';

/**
 * The dossier state machine the sandbox enforces (and the contract documents):
 * created → candidate_invited → consent_given | consent_refused (final) → in_progress →
 * report_available (final, with a result). Any non-final state may end as expired or cancelled.
 */
const FORWARD: Readonly<Record<DossierStatus, readonly DossierStatus[]>> = {
  created: ['candidate_invited'],
  candidate_invited: ['consent_given', 'consent_refused'],
  consent_given: ['in_progress'],
  in_progress: ['report_available'],
  consent_refused: [],
  report_available: [],
  expired: [],
  cancelled: [],
};

const FINAL: ReadonlySet<DossierStatus> = new Set(['consent_refused', 'report_available', 'expired', 'cancelled']);

export function isFinal(status: DossierStatus): boolean {
  return FINAL.has(status);
}

export function canTransition(from: DossierStatus, to: DossierStatus): boolean {
  if (isFinal(from)) return false;
  if (to === 'expired' || to === 'cancelled') return true;
  return FORWARD[from].includes(to);
}

/** What the auto lifecycle does at each step. `stopAt` freezes a dossier (to let it expire). */
export interface AutoOutcome {
  consent: 'given' | 'refused';
  result: DossierResult;
  stopAt?: DossierStatus;
}

export const DEFAULT_AUTO_OUTCOME: AutoOutcome = Object.freeze({ consent: 'given', result: 'compliant' });

/** The next automatic step from `from`, or undefined when the dossier stays where it is. */
export function nextAutoStep(
  from: DossierStatus,
  outcome: AutoOutcome,
): { status: DossierStatus; result: DossierResult | null } | undefined {
  if (isFinal(from) || outcome.stopAt === from) return undefined;
  switch (from) {
    case 'created':
      return { status: 'candidate_invited', result: null };
    case 'candidate_invited':
      return { status: outcome.consent === 'given' ? 'consent_given' : 'consent_refused', result: null };
    case 'consent_given':
      return { status: 'in_progress', result: null };
    case 'in_progress':
      return { status: 'report_available', result: outcome.result };
    default:
      return undefined;
  }
}
