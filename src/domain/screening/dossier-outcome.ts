import type { DossierResult, DossierStatus } from '../../integrations/aequivalent/aequivalent-schemas';

/** Where a dossier stands for the order workflow: keep following it, or stop with an outcome. */
export type DossierOutcome =
  | { final: false; stage: 'created' | 'candidate_invited' | 'consent_given' | 'in_progress' }
  | {
      final: true;
      outcome: 'compliant' | 'attention_points' | 'non_compliant' | 'consent_refused' | 'expired' | 'cancelled' | 'result_missing';
    };

export function mapDossierStatus(status: DossierStatus, result: DossierResult | null): DossierOutcome {
  switch (status) {
    case 'created':
    case 'candidate_invited':
    case 'consent_given':
    case 'in_progress':
      return { final: false, stage: status };
    case 'report_available':
      // A report without a result breaks the contract; it is still final, and reported as such.
      return { final: true, outcome: result ?? 'result_missing' };
    case 'consent_refused':
    case 'expired':
    case 'cancelled':
      return { final: true, outcome: status };
  }
}

export function isFinalStatus(status: DossierStatus): boolean {
  return mapDossierStatus(status, null).final;
}
