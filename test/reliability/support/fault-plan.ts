import type { FaultOptions, ScriptedFault } from '../../../dev/simulators/simulator-kit/fault-injector';
import { SeededRandom } from '../../../dev/simulators/simulator-kit/seeded-random';

/**
 * A reproducible mix of faults for one simulator: a long script drawn from a seeded RNG (so the
 * exact number of faults injected can be read back from what is left of the script), followed by
 * the same mix as random rates should a run outlive the script.
 */
export interface FaultMix {
  /** Share of requests that fail, all kinds together (0.2 = 20 %). */
  rate: number;
  /** Seconds announced in `Retry-After` on injected 429s. */
  retryAfterSeconds: number;
  /** How long an injected "timeout" holds the request before answering 408. */
  timeoutMs: number;
}

export const TWENTY_PERCENT: FaultMix = { rate: 0.2, retryAfterSeconds: 1, timeoutMs: 250 };

const KINDS = ['error', 'rateLimit', 'timeout', 'reset'] as const;

export interface FaultPlan {
  options: Partial<FaultOptions>;
  /** Faults among the first `consumed` scripted entries. */
  injectedAfter(consumed: number): number;
  scriptLength: number;
}

export function faultPlan(mix: FaultMix, seed: number, length = 4000): FaultPlan {
  const rng = new SeededRandom(seed);
  const script: ScriptedFault[] = [];
  const isFault: boolean[] = [];
  for (let i = 0; i < length; i++) {
    if (rng.next() >= mix.rate) {
      script.push({ kind: 'latency', ms: 0 });
      isFault.push(false);
      continue;
    }
    const kind = rng.pick(KINDS);
    if (kind === 'error') script.push({ kind: 'error', status: rng.pick([500, 502, 503]) });
    else if (kind === 'rateLimit') script.push({ kind: 'rateLimit', retryAfterSeconds: mix.retryAfterSeconds });
    else script.push({ kind });
    isFault.push(true);
  }
  // Each kind gets a quarter of the rate once the script is used up (independent rolls ≈ the same total).
  const quarter = 1 - Math.pow(1 - mix.rate, 1 / 4);
  return {
    scriptLength: length,
    options: {
      script,
      timeoutMs: mix.timeoutMs,
      retryAfterSeconds: mix.retryAfterSeconds,
      errorRate: quarter,
      rateLimitRate: quarter,
      timeoutRate: quarter,
      resetRate: quarter,
    },
    injectedAfter(consumed) {
      return isFault.slice(0, Math.min(consumed, length)).filter(Boolean).length + Math.round(Math.max(0, consumed - length) * mix.rate);
    },
  };
}

/** No fault at all (used to reset a simulator between scenarios). */
export const NO_FAULTS = { reset: true } as const;
