/**
 * Deletion safety: a run that would suspend too many users, or whose Lucca population dropped
 * sharply since the last successful run (a permission change, a broken filter), holds for a human
 * decision instead of suspending. Pure, so the workflow can call it directly.
 */
export interface SafetyThresholds {
  maxSuspendPercent: number;
  maxSuspendCount: number;
  maxPopulationDropPercent: number;
}

export interface SafetyInput {
  suspendCount: number;
  /** Active Elevo users the sync manages (the base of the percentage). */
  managedActiveCount: number;
  /** Current employees seen in Lucca this run. */
  sourceCount: number;
  /** The same figure at the last successful run, if any. */
  previousSourceCount: number | null;
}

export type SafetyReason =
  | { code: 'suspend-count-over-threshold'; suspendCount: number; threshold: number }
  | { code: 'suspend-percent-over-threshold'; percent: number; threshold: number }
  | { code: 'population-dropped'; previous: number; current: number; percent: number; threshold: number };

export interface SafetyVerdict {
  hold: boolean;
  reasons: SafetyReason[];
}

export function evaluateSafety(input: SafetyInput, thresholds: SafetyThresholds): SafetyVerdict {
  const reasons: SafetyReason[] = [];
  if (input.suspendCount > thresholds.maxSuspendCount) {
    reasons.push({ code: 'suspend-count-over-threshold', suspendCount: input.suspendCount, threshold: thresholds.maxSuspendCount });
  }
  if (input.suspendCount > 0 && input.managedActiveCount > 0) {
    const percent = round1((input.suspendCount / input.managedActiveCount) * 100);
    if (percent > thresholds.maxSuspendPercent)
      reasons.push({ code: 'suspend-percent-over-threshold', percent, threshold: thresholds.maxSuspendPercent });
  }
  if (input.previousSourceCount !== null && input.previousSourceCount > 0 && input.sourceCount < input.previousSourceCount) {
    const percent = round1(((input.previousSourceCount - input.sourceCount) / input.previousSourceCount) * 100);
    if (percent > thresholds.maxPopulationDropPercent) {
      reasons.push({
        code: 'population-dropped',
        previous: input.previousSourceCount,
        current: input.sourceCount,
        percent,
        threshold: thresholds.maxPopulationDropPercent,
      });
    }
  }
  return { hold: reasons.length > 0, reasons };
}

export function describeSafetyReason(reason: SafetyReason): string {
  switch (reason.code) {
    case 'suspend-count-over-threshold':
      return `would suspend ${reason.suspendCount} users (threshold ${reason.threshold})`;
    case 'suspend-percent-over-threshold':
      return `would suspend ${reason.percent}% of synced users (threshold ${reason.threshold}%)`;
    case 'population-dropped':
      return `Lucca population dropped from ${reason.previous} to ${reason.current} (-${reason.percent}%, threshold ${reason.threshold}%)`;
  }
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
