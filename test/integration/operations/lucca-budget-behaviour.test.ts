import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { SlidingWindowBudget } from '../../../src/integrations/http/request-budget';
import { TemporalRequestBudget } from '../../../src/integrations/lucca/temporal-request-budget';
import {
  acquireLuccaPermitUpdate,
  luccaBudgetStateQuery,
  luccaBudgetWorkflowId,
  pauseLuccaBudgetSignal,
} from '../../../src/shared/lucca-budget-contract';
import { RestartableTemporalServer } from '../../reliability/support/temporal-dev-server';
import { startTemporalTestEnv } from '../../support/temporal-test-env';

/**
 * The shared budget against a real Temporal server, driven in-process: a lowered limit applies with
 * the next request, a process that stalls past its permit returns it instead of sending late, and a
 * process that cannot reach Temporal keeps to its own limit — never to no limit.
 */
describe('the shared Lucca budget', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `budget-behaviour-${process.pid}`;

  beforeAll(async () => {
    env = await startTemporalTestEnv();
    worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: require.resolve('../../../src/workflows') });
    running = worker.run();
  }, 120_000);
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  const budget = (domainKey: string, perMinute: number, fallback = new SlidingWindowBudget(perMinute)) =>
    new TemporalRequestBudget({ domainKey, perMinute, taskQueue, fallback, client: () => env.client, holder: 'test' });
  const ask = (domainKey: string, perMinute: number) =>
    env.client.workflow
      .getHandle(luccaBudgetWorkflowId(domainKey))
      .executeUpdate(acquireLuccaPermitUpdate, { args: [{ perMinute, holder: 'probe' }] });

  it('a lowered requestsPerMinute applies with the next request, even while processes on the old config keep asking', async () => {
    const domain = 'config-change.example';
    const old = budget(domain, 6);
    for (let i = 0; i < 3; i++) await old.acquire();
    expect(await ask(domain, 6)).toMatchObject({ waitMs: 0 }); // 4 of 6 used: room left

    // A process restarted with the new config (2 per minute) asks: the window already holds 4.
    expect(await ask(domain, 2)).toHaveProperty('retryInMs');
    // A process still on the old config asks next: the lowest limit of the last minute holds.
    expect(await ask(domain, 6)).toHaveProperty('retryInMs');
    const state = await env.client.workflow.getHandle(luccaBudgetWorkflowId(domain)).query(luccaBudgetStateQuery);
    expect(state.perMinute).toBe(2);
    // Permits held: under load a permit may arrive late, be returned and asked again (granted twice, returned once).
    expect(state.totalGranted - state.totalReturned).toBe(4);
  });

  it('a process whose event loop stalls past its permit returns the permit and sends on a fresh one', async () => {
    const domain = 'stall.example';
    const slow = budget(domain, 5);
    await slow.acquire(); // starts the budget workflow
    const handle = env.client.workflow.getHandle(luccaBudgetWorkflowId(domain));
    // Lucca said 429 + Retry-After 3 s: the next permit is reserved 3 s ahead.
    await handle.signal(pauseLuccaBudgetSignal, { forMs: 3_000 });
    const next = slow.acquire();
    for (let i = 0; i < 100 && (await handle.query(luccaBudgetStateQuery)).totalGranted < 2; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await handle.query(luccaBudgetStateQuery)).totalGranted).toBe(2);
    // Block the event loop past the slot plus the tolerance, as planning 100,000 employees can.
    const stallUntil = performance.now() + 6_000;
    while (performance.now() < stallUntil) {
      /* stalled */
    }
    await next;
    const state = await handle.query(luccaBudgetStateQuery);
    expect(state.totalReturned).toBe(1); // the late permit went back unused…
    expect(state.totalGranted).toBe(3); // …and the request went out on a fresh one
  }, 60_000);

  it('inside an activity, a wait longer than its allowance gives the worker slot back: LuccaBudgetBusy with a retry delay', async () => {
    const domain = 'allowance.example';
    const b = budget(domain, 5);
    await b.acquire();
    const handle = env.client.workflow.getHandle(luccaBudgetWorkflowId(domain));
    await handle.signal(pauseLuccaBudgetSignal, { forMs: 25_000 }); // Retry-After 25 s
    // A 6-s activity may wait 2 s in all (a third of its timeout): the next slot is 25 s away.
    const activity = new MockActivityEnvironment({ startToCloseTimeoutMs: 6_000, workflowType: 'screeningOrder' });
    const failure = await activity
      .run(() => b.acquire())
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'LuccaBudgetBusy', nonRetryable: false });
    expect(Number((failure as ApplicationFailure).nextRetryDelay)).toBeGreaterThanOrEqual(1_000);
    const state = await handle.query(luccaBudgetStateQuery);
    expect(state.totalGranted - state.totalReturned).toBe(1); // nothing kept reserved for the activity that left
  });

  it('when Temporal is unreachable, each process keeps to its own limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-budget-down-'));
    const server = await RestartableTemporalServer.start(join(dir, 'temporal.db'));
    // Few gRPC retries, so the asks given up on (after 5 s) end soon and the connection can close.
    const connection = await Connection.connect({
      address: server.address,
      interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 2 }))],
    });
    const client = new Client({ connection });
    let frozenNow = 1_000_000;
    const fallback = new SlidingWindowBudget(2, () => frozenNow);
    const degraded: string[] = [];
    const b = new TemporalRequestBudget({
      domainKey: 'down.example',
      perMinute: 2,
      taskQueue,
      fallback,
      client: () => client,
      onDegraded: (r) => degraded.push(r),
    });
    try {
      await server.stop();
      await b.acquire();
      await b.acquire();
      expect(degraded.length).toBeGreaterThanOrEqual(1);
      let third = false;
      const pending = b.acquire().then(() => (third = true));
      await new Promise((r) => setTimeout(r, 2_500)); // the fallback re-checks its window every second
      expect(third).toBe(false); // a third request in the same minute is held, not sent
      frozenNow += 61_000;
      await pending;
      expect(third).toBe(true);
    } finally {
      await b.drain();
      // A gRPC retry the SDK already scheduled for an abandoned ask would hit a closed channel and
      // throw from its timer: let the (2-attempt) retries run out before closing.
      await new Promise((r) => setTimeout(r, 3_000));
      await connection.close();
      await server.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
