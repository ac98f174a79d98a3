import { DEFAULT_AUTO_OUTCOME, canTransition, nextAutoStep } from '../../../dev/simulators/aequivalent/dossier-lifecycle';

describe('sandbox dossier lifecycle rules', () => {
  it.each([
    ['created', 'candidate_invited', true],
    ['created', 'consent_given', false],
    ['candidate_invited', 'consent_refused', true],
    ['consent_given', 'in_progress', true],
    ['in_progress', 'report_available', true],
    ['in_progress', 'cancelled', true],
    ['created', 'expired', true],
    ['report_available', 'cancelled', false],
    ['expired', 'candidate_invited', false],
    ['consent_refused', 'in_progress', false],
  ] as const)('%s -> %s allowed: %p', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it('walks the default auto outcome to a compliant report', () => {
    const path: string[] = [];
    let status: Parameters<typeof nextAutoStep>[0] = 'created';
    for (let step = nextAutoStep(status, DEFAULT_AUTO_OUTCOME); step; step = nextAutoStep(status, DEFAULT_AUTO_OUTCOME)) {
      status = step.status;
      path.push(step.result ? `${status}:${step.result}` : status);
    }
    expect(path).toEqual(['candidate_invited', 'consent_given', 'in_progress', 'report_available:compliant']);
  });

  it('stops where told to', () => {
    expect(nextAutoStep('candidate_invited', { ...DEFAULT_AUTO_OUTCOME, stopAt: 'candidate_invited' })).toBeUndefined();
  });
});
