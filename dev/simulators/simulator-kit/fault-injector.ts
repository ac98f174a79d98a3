import { z } from 'zod';

/**
 * Fault injection shared by the simulators: random faults by rate, plus a script of faults for the
 * next requests so tests can be exact ("the next 2 requests fail with 503") instead of probabilistic.
 */
export const scriptedFaultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('error'), status: z.number().int().min(400).max(599).optional() }),
  z.object({ kind: z.literal('timeout') }),
  z.object({ kind: z.literal('reset') }),
  z.object({ kind: z.literal('rateLimit'), retryAfterSeconds: z.number().int().min(1).optional() }),
  z.object({ kind: z.literal('latency'), ms: z.number().int().min(0) }),
]);
export type ScriptedFault = z.infer<typeof scriptedFaultSchema>;

const rate = z.number().min(0).max(1);

export const faultOptionsSchema = z.object({
  /** Share of requests answered with one of `errorStatuses`. */
  errorRate: rate,
  errorStatuses: z.array(z.number().int().min(400).max(599)).min(1),
  /** Added before every request is handled. */
  latencyMs: z.number().int().min(0),
  /** Share of requests held `timeoutMs` then answered 408 (what Lucca does past 5 s). */
  timeoutRate: rate,
  timeoutMs: z.number().int().min(0),
  /** Share of requests whose socket is destroyed without an answer. */
  resetRate: rate,
  /** Share of requests answered 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitRate: rate,
  retryAfterSeconds: z.number().int().min(1),
  /** Faults for the next requests, consumed in order before the random ones are drawn. */
  script: z.array(scriptedFaultSchema),
});
export type FaultOptions = z.infer<typeof faultOptionsSchema>;

/** Body accepted by the admin endpoints: any subset; `reset: true` first restores the defaults. */
export const faultPatchSchema = faultOptionsSchema.partial().extend({ reset: z.boolean().optional() }).strict();
export type FaultPatch = z.infer<typeof faultPatchSchema>;

export const defaultFaultOptions: FaultOptions = Object.freeze({
  errorRate: 0,
  errorStatuses: [500, 502, 503],
  latencyMs: 0,
  timeoutRate: 0,
  timeoutMs: 5000,
  resetRate: 0,
  rateLimitRate: 0,
  retryAfterSeconds: 2,
  script: [],
});

export type FaultDecision =
  | { kind: 'none'; latencyMs: number }
  | { kind: 'error'; status: number; latencyMs: number }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'reset' }
  | { kind: 'rateLimit'; retryAfterSeconds: number; latencyMs: number };

export class FaultInjector {
  private current: FaultOptions;
  /** Faults actually injected, by kind, for assertions. */
  readonly injected: Record<Exclude<FaultDecision['kind'], 'none'>, number> = { error: 0, timeout: 0, reset: 0, rateLimit: 0 };

  constructor(
    options: Partial<FaultOptions> = {},
    private readonly random: () => number = Math.random,
  ) {
    this.current = { ...defaultFaultOptions, ...options, script: [...(options.script ?? [])] };
  }

  get options(): FaultOptions {
    return { ...this.current, script: [...this.current.script] };
  }

  /** Changes the options at runtime; omitted fields keep their value (or the default after `reset`). */
  update(patch: Partial<FaultOptions> & { reset?: boolean }): FaultOptions {
    const { reset, ...rest } = patch;
    const base = reset ? { ...defaultFaultOptions, script: [] } : this.current;
    this.current = { ...base, ...rest, script: [...(rest.script ?? base.script)] };
    return this.options;
  }

  /** Decides what to do with one incoming request. */
  decide(): FaultDecision {
    const decision = this.draw();
    if (decision.kind !== 'none') this.injected[decision.kind]++;
    return decision;
  }

  private draw(): FaultDecision {
    const o = this.current;
    const scripted = o.script.shift();
    if (scripted) {
      switch (scripted.kind) {
        case 'error':
          return { kind: 'error', status: scripted.status ?? o.errorStatuses[0] ?? 500, latencyMs: o.latencyMs };
        case 'timeout':
          return { kind: 'timeout', afterMs: o.timeoutMs };
        case 'reset':
          return { kind: 'reset' };
        case 'rateLimit':
          return { kind: 'rateLimit', retryAfterSeconds: scripted.retryAfterSeconds ?? o.retryAfterSeconds, latencyMs: o.latencyMs };
        case 'latency':
          return { kind: 'none', latencyMs: o.latencyMs + scripted.ms };
      }
    }
    // One roll per kind, so changing one rate does not shift the others' meaning.
    if (o.resetRate > 0 && this.random() < o.resetRate) return { kind: 'reset' };
    if (o.timeoutRate > 0 && this.random() < o.timeoutRate) return { kind: 'timeout', afterMs: o.timeoutMs };
    if (o.rateLimitRate > 0 && this.random() < o.rateLimitRate) {
      return { kind: 'rateLimit', retryAfterSeconds: o.retryAfterSeconds, latencyMs: o.latencyMs };
    }
    if (o.errorRate > 0 && this.random() < o.errorRate) {
      const status = o.errorStatuses[Math.floor(this.random() * o.errorStatuses.length)] ?? 500;
      return { kind: 'error', status, latencyMs: o.latencyMs };
    }
    return { kind: 'none', latencyMs: o.latencyMs };
  }
}
