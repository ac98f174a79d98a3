import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { WithStartWorkflowOperation, WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import type { RequestBudget } from '../http/request-budget';
import {
  acquireLuccaPermitUpdate,
  BACKGROUND_LUCCA_HOLDERS,
  LATE_PERMIT_TOLERANCE_MS,
  LUCCA_BUDGET_WINDOW_MS,
  LUCCA_REQUEST_BUDGET,
  luccaBudgetWorkflowId,
  pauseLuccaBudgetSignal,
  returnLuccaPermitSignal,
  type LuccaPermit,
} from '../../shared/lucca-budget-contract';
import { ActivityWaitAllowance, luccaBudgetBusy } from './activity-wait-allowance';
import { countLuccaBudgetBusy, recordLuccaBudgetWait } from '../../observability/connector-metrics';

/** Temporal accepts 10 in-flight updates per workflow: each process asks with at most 3 at a time. */
const ASKS_IN_FLIGHT = 3;
/** An ask that takes longer means Temporal is unreachable (or overloaded): use the per-process limit. */
const ASK_TIMEOUT_MS = 5_000;
/** How long a process keeps to its per-process limit before trying Temporal again. */
const DEGRADED_MS = 15_000;
/** Quick re-asks for short gaps (the budget between two runs after continue-as-new). */
const QUICK_RETRIES = 3;
/** Consecutive permits too late to use before an activity gives its slot back and retries later. */
const MAX_LATE_PERMITS = 3;

export interface TemporalRequestBudgetOptions {
  domainKey: string;
  /** `requestsPerMinute` from this process's config; the budget applies the lowest one asked recently. */
  perMinute: number;
  taskQueue: string;
  /** Per-process limit: used outside activities and whenever Temporal does not answer. */
  fallback: RequestBudget;
  /** Activities of one domain allowed to wait for permits at once in this process (the rest give their slot back). */
  maxWaitersPerProcess?: number;
  client?: () => Client | undefined;
  /** Fairness key when not inside an activity (inside one: the workflow type, i.e. the connector). */
  holder?: string;
  onDegraded?: (reason: string) => void;
}

/**
 * The Lucca request budget shared by every worker process: each request first takes a permit from
 * the domain's `luccaRequestBudget` workflow (update-with-start, so the first caller creates it).
 * Permits are relative waits measured on this process's monotonic clock, so wall-clock skew between
 * a worker and the server cannot stall or overrun the budget; a permit used too late (event-loop
 * stall) is returned and asked again. Waiting inside an activity is bounded (`ActivityWaitAllowance`);
 * past that the activity gives its slot back and Temporal retries it when the budget has room.
 */
export class TemporalRequestBudget implements RequestBudget {
  private readonly askSlots: Semaphore = new Semaphore(ASKS_IN_FLIGHT);
  /** Asks still running, including those given up on after ASK_TIMEOUT_MS (see `drain`). */
  private readonly asking = new Set<Promise<unknown>>();
  private degradedUntil = -Infinity;
  /** Activities of this domain sleeping until their permit (or their next ask) in this process. */
  private sleepers = 0;

  constructor(private readonly options: TemporalRequestBudgetOptions) {}

  async acquire(signal?: AbortSignal): Promise<void> {
    const client = this.client();
    if (!client || performance.now() < this.degradedUntil) return this.options.fallback.acquire(signal);
    const allowance = ActivityWaitAllowance.current();
    const started = performance.now();
    try {
      await this.waitForPermit(client, signal, allowance, started);
      recordLuccaBudgetWait(performance.now() - started);
    } catch (err) {
      if ((err as { type?: string }).type === 'LuccaBudgetBusy') countLuccaBudgetBusy();
      throw err;
    } finally {
      allowance?.spend(performance.now() - started);
    }
  }

  /** Resolves once no ask is in flight, abandoned ones included: close the client connection after it. */
  async drain(): Promise<void> {
    while (this.asking.size > 0) await Promise.allSettled([...this.asking]);
  }

  pauseFor(ms: number): void {
    this.options.fallback.pauseFor(ms);
    const client = this.client();
    if (!client) return;
    void client.workflow
      .getHandle(luccaBudgetWorkflowId(this.options.domainKey))
      .signal(pauseLuccaBudgetSignal, { forMs: ms })
      .catch(() => undefined); // best effort: the local pause already holds this process
  }

  private async waitForPermit(
    client: Client,
    signal: AbortSignal | undefined,
    allowance: ActivityWaitAllowance | undefined,
    started: number,
  ): Promise<void> {
    const maxWait = allowance?.maxWaitMs() ?? Number.POSITIVE_INFINITY;
    let failures = 0;
    let latePermits = 0;
    for (;;) {
      signal?.throwIfAborted();
      const askedAt = performance.now();
      let permit: LuccaPermit;
      try {
        permit = await this.ask(client, signal);
        failures = 0;
      } catch (err) {
        signal?.throwIfAborted();
        if (++failures <= QUICK_RETRIES) {
          await sleep(100 * 2 ** failures, signal);
          continue;
        }
        // Temporal unreachable: never "no limit" — this process keeps to its own limit for a while.
        this.degradedUntil = performance.now() + DEGRADED_MS;
        this.options.onDegraded?.(err instanceof Error ? err.name : 'unknown');
        return this.options.fallback.acquire(signal);
      }
      const waited = performance.now() - started;
      const waitMs = 'retryInMs' in permit ? permit.retryInMs : permit.waitMs;
      const refusal = waitMs <= 0 ? undefined : this.refuseToWait(allowance, waited + waitMs > maxWait);
      if (refusal) {
        if ('permitId' in permit) this.giveBack(client, permit.permitId);
        throw luccaBudgetBusy(waitMs, refusal);
      }
      try {
        await this.sleepAsWaiter(waitMs, signal, allowance !== undefined);
      } catch (err) {
        if ('permitId' in permit) this.giveBack(client, permit.permitId);
        throw err;
      }
      if ('retryInMs' in permit) continue;
      // Measured from before the ask, so the lateness is an upper bound whatever the clocks say.
      const late = performance.now() - askedAt - permit.waitMs;
      if (late <= LATE_PERMIT_TOLERANCE_MS) return;
      this.giveBack(client, permit.permitId);
      // Asks that themselves take longer than the tolerance (an overloaded server) would loop forever.
      if (++latePermits >= MAX_LATE_PERMITS && allowance)
        throw luccaBudgetBusy(1_000 + Math.floor(Math.random() * 2_000), 'permits kept arriving too late to use');
    }
  }

  /** Why an activity should give its slot back rather than sleep, if it should. */
  private refuseToWait(allowance: ActivityWaitAllowance | undefined, beyondAllowance: boolean): string | undefined {
    if (!allowance) return undefined;
    if (beyondAllowance) return 'no Lucca permit within the wait allowed in this activity';
    if (this.sleepers >= (this.options.maxWaitersPerProcess ?? Number.POSITIVE_INFINITY))
      return 'too many activities of this domain already wait in this worker';
    return undefined;
  }

  private async sleepAsWaiter(ms: number, signal: AbortSignal | undefined, counted: boolean): Promise<void> {
    if (counted) this.sleepers++;
    try {
      await sleep(ms, signal);
    } finally {
      if (counted) this.sleepers--;
    }
  }

  private async ask(client: Client, signal: AbortSignal | undefined): Promise<LuccaPermit> {
    const release = await this.askSlots.take(signal);
    try {
      // The SDK keeps retrying an unreachable server for over a minute: give up on our own clock.
      // An answer that arrives later reserves a slot nobody uses — slower, never over the limit.
      const asked = client.workflow.executeUpdateWithStart(acquireLuccaPermitUpdate, {
        args: [this.permitAsk()],
        startWorkflowOperation: new WithStartWorkflowOperation(LUCCA_REQUEST_BUDGET, {
          workflowId: luccaBudgetWorkflowId(this.options.domainKey),
          taskQueue: this.options.taskQueue,
          args: [{ domainKey: this.options.domainKey, perMinute: this.options.perMinute, windowMs: LUCCA_BUDGET_WINDOW_MS }],
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        }),
      });
      this.asking.add(asked);
      void asked.finally(() => this.asking.delete(asked)).catch(() => undefined);
      return await withTimeout(asked, ASK_TIMEOUT_MS);
    } finally {
      release();
    }
  }

  private giveBack(client: Client, permitId: number): void {
    void client.workflow
      .getHandle(luccaBudgetWorkflowId(this.options.domainKey))
      .signal(returnLuccaPermitSignal, { permitId })
      .catch(() => undefined); // not returned = the slot stays reserved: safe, only slower
  }

  private permitAsk(): { perMinute: number; holder: string; priority?: 'background' } {
    const holder = this.holder();
    return {
      perMinute: this.options.perMinute,
      holder,
      ...(BACKGROUND_LUCCA_HOLDERS.includes(holder) ? { priority: 'background' as const } : {}),
    };
  }

  private holder(): string {
    try {
      return Context.current().info.workflowType ?? this.options.holder ?? 'unknown';
    } catch {
      return this.options.holder ?? 'unknown';
    }
  }

  private client(): Client | undefined {
    if (this.options.client) return this.options.client();
    try {
      return Context.current().client;
    } catch {
      return undefined; // not inside an activity
    }
  }
}

class AskTimeoutError extends Error {
  override readonly name = 'AskTimeoutError';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AskTimeoutError(`no answer from Temporal in ${ms} ms`)), ms);
  });
  promise.catch(() => undefined); // a late failure of an abandoned ask is not an unhandled rejection
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> => (ms <= 0 ? Promise.resolve() : delay(ms, undefined, { signal }));

/** A counting semaphore: `take()` resolves with a release function once a slot is free. */
class Semaphore {
  private waiting: Array<() => void> = [];
  constructor(private free: number) {}

  async take(signal?: AbortSignal): Promise<() => void> {
    if (this.free > 0) this.free--;
    else
      await new Promise<void>((resolve, reject) => {
        this.waiting.push(resolve);
        signal?.addEventListener(
          'abort',
          () => {
            this.waiting = this.waiting.filter((w) => w !== resolve); // never hand a slot to an abandoned waiter
            reject(signal.reason instanceof Error ? signal.reason : new Error('the wait for a Lucca request slot was aborted'));
          },
          { once: true },
        );
      });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}
