import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import type { RequestBudget } from '../http/request-budget';
import { acquireLuccaPermitUpdate, LUCCA_REQUEST_BUDGET, luccaBudgetWorkflowId, pauseLuccaBudgetSignal } from '../../shared/lucca-budget-contract';

/**
 * The Lucca request budget shared by every worker process: each request first takes a permit from
 * the domain's `luccaRequestBudget` workflow (update-with-start, so the first caller creates it).
 * Outside an activity — a script, a unit test — it falls back to the in-process budget.
 */
const STALE_PERMIT_MS = 500;

export class TemporalRequestBudget implements RequestBudget {
  constructor(
    private readonly options: { domainKey: string; perMinute: number; taskQueue: string; fallback: RequestBudget; client?: () => Client | undefined },
  ) {}

  async acquire(signal?: AbortSignal): Promise<void> {
    const client = this.client();
    if (!client) return this.options.fallback.acquire(signal);
    // One update id per permit: a retried call joins the same update instead of queueing (and
    // later consuming) a second permit.
    let updateId = randomUUID();
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      try {
        const { grantedAt } = await client.workflow.executeUpdateWithStart(acquireLuccaPermitUpdate, {
          args: [],
          updateId,
          startWorkflowOperation: new WithStartWorkflowOperation(LUCCA_REQUEST_BUDGET, {
            workflowId: luccaBudgetWorkflowId(this.options.domainKey),
            taskQueue: this.options.taskQueue,
            args: [{ domainKey: this.options.domainKey, perMinute: this.options.perMinute, windowMs: 61_000 }],
            workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
          }),
        });
        // The budget frees a slot 61 s after the grant; Lucca counts from the request's arrival. A
        // permit that reached us late would let two requests land less than 60 s apart: drop it.
        if (Date.now() - grantedAt > STALE_PERMIT_MS) {
          updateId = randomUUID();
          continue;
        }
        return;
      } catch (err) {
        // The budget workflow may be between runs (continue-as-new or idle exit): ask again.
        if (attempt >= 10) throw err;
        await new Promise((r) => setTimeout(r, Math.min(100 * attempt, 1000)));
      }
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
