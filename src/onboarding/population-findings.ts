import { finding, type CheckFinding } from './check-finding';
import type { LuccaAccessSnapshot } from './lucca-access-snapshot';
import { advice } from './lucca-setup-advice';

/**
 * Former and future employees are hidden silently when the key's role lacks the right: Lucca answers
 * 0, which a young company may also answer, hence a warning that says both readings.
 */
export function populationFindings(snapshot: LuccaAccessSnapshot, impacts: { former?: string; future?: string }): CheckFinding[] {
  const out: CheckFinding[] = [];
  if (impacts.former !== undefined && snapshot.formerEmployees !== null) {
    out.push(
      snapshot.formerEmployees > 0
        ? finding(
            'ok',
            'lucca.former-employees-visible',
            'former employees',
            `The key sees ${snapshot.formerEmployees} former employee(s).`,
          )
        : finding(
            'warning',
            'lucca.former-employees-hidden',
            'former employees',
            `Lucca shows no former employee to the key (or nobody has ever left): ${impacts.former}.`,
            advice.seeFormer(),
          ),
    );
  }
  if (impacts.future !== undefined && snapshot.futureEmployees !== null) {
    out.push(
      snapshot.futureEmployees > 0
        ? finding(
            'ok',
            'lucca.future-employees-visible',
            'future employees',
            `The key sees ${snapshot.futureEmployees} future employee(s).`,
          )
        : finding(
            'warning',
            'lucca.future-employees-hidden',
            'future employees',
            `Lucca shows no future employee to the key (or no hire is planned): ${impacts.future}.`,
            advice.seeFuture(),
          ),
    );
  }
  return out;
}
