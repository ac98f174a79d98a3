import { setTimeout as delay } from 'node:timers/promises';
import { WithStartWorkflowOperation, WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import type { RequestBudget } from '../http/request-budget';
import { acquireLuccaPermitUpdate, LUCCA_REQUEST_BUDGET, luccaBudgetWorkflowId, pauseLuccaBudgetSignal, type LuccaPermit } from '../../shared/lucca-budget-contract';

/**
 * The Lucca request budget shared by every worker process: each request first takes a permit from
 * the domain's `luccaRequestBudget` workflow (update-with-start, so the first caller creates it).
 * Outside an activity — a script, a unit test — it falls back to the in-process budget.
 */
const STALE_PERMIT_MS = 500;
/** Temporal accepts 10 in-flight updates per workflow: each process asks with at most 3 at a time. */
const ASKS_IN_FLIGHT = 3;

export class TemporalRequestBudget implements RequestBudget {
  private readonly askSlots = new Semaphore(ASKS_IN_FLIGHT);
  constructor(
    private readonly options: { domainKey: string; perMinute: number; taskQueue: string; fallback: RequestBudget; client?: () => Client | undefined },
  ) {}

  async acquire(signal?: AbortSignal): Promise<void> {
    const client = this.client();
    if (!client) return this.options.fallback.acquire(signal);
    let failures = 0;
    for (;;) {
      signal?.throwIfAborted();
      let permit: LuccaPermit;
      const release = await this.askSlots.take(signal);
      try {
        permit = await client.workflow.executeUpdateWithStart(acquireLuccaPermitUpdate, {
          args: [],
          startWorkflowOperation: new WithStartWorkflowOperation(LUCCA_REQUEST_BUDGET, {
            workflowId: luccaBudgetWorkflowId(this.options.domainKey),
            taskQueue: this.options.taskQueue,
            args: [{ domainKey: this.options.domainKey, perMinute: this.options.perMinute, windowMs: 61_000 }],
            workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
          }),
        });
      } catch (err) {
        release();
        // The budget workflow may be between runs (continue-as-new or idle exit), or busy: ask again.
        if (++failures >= 20) throw err;
        await sleep(Math.min(100 * failures, 2_000), signal);
        continue;
      }
      release();
      if ('retryAt' in permit) {
        await sleep(Math.max(permit.retryAt - Date.now(), 50), signal);
        continue;
      }
      await sleep(permit.at - Date.now(), signal);
      // The budget frees a slot 61 s after the reserved time; Lucca counts from the request's arrival.
      // A permit used late would let two requests land less than 60 s apart: drop it, ask again.
      if (Date.now() - permit.at > STALE_PERMIT_MS) continue;
      return;
    }
  }

  pauseFor(ms: number): void {
    this.options.fallback.pauseFor(ms);
    const client = this.client();
    if (!client) return;
    void client.workflow
      .getHandle(luccaBudgetWorkflowId(this.options.domainKey))
      .signal(pauseLuccaBudgetSignal, { untilMs: Date.now() + ms })
      .catch(() => undefined); // best effort: the local pause already holds this process
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
            reject(signal.reason);
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
