import { randomUUID } from 'node:crypto';
import { type Client, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { createDataConverter } from '../../../src/codec/data-converter';
import { UNSEALED_INPUT_REFUSED } from '../../../src/codec/unsealed-input-marker';
import { buildWorkflowBundle } from '../../../src/runtime/workflow-bundle';
import { createConnectorsWorker } from '../../../src/worker';
import {
  acquireLuccaPermitUpdate,
  LUCCA_REQUEST_BUDGET,
  luccaBudgetStateQuery,
  pauseLuccaBudgetSignal,
  type LuccaBudgetInput,
} from '../../../src/shared/lucca-budget-contract';
import { startConnectorHarness, type ConnectorHarness } from '../../support/connector-harness';
import { plaintextClient } from '../../support/plaintext-client';
import { ELEVO_USER_SYNC } from '../../../src/connectors/elevo-user-sync/contract';

/**
 * Anyone who can call Temporal but does not hold the payload key must not be able to start a run,
 * steer one with a signal or decide one with an update: the worker refuses unencrypted inputs.
 * Each case is paired with the same call sealed by the project's client, which goes through.
 */
describe('strict decoding: unencrypted starts, signals and updates are refused', () => {
  let harness: ConnectorHarness;
  let plain: Client;

  beforeAll(async () => {
    harness = await startConnectorHarness({
      tenants: () => [{ id: 'strict', luccaBaseUrl: 'http://127.0.0.1:9', luccaApiKey: randomUUID() }],
    });
    plain = plaintextClient(harness);
  });
  afterAll(async () => harness?.stop());

  const budgetInput = (): LuccaBudgetInput => ({ domainKey: `strict-${randomUUID()}`, perMinute: 50, windowMs: 61_000 });
  const causeType = (err: unknown) => ((err as { cause?: unknown }).cause as ApplicationFailure | undefined)?.type;

  it('fails an unencrypted workflow start at once, non-retryable, before any activity runs', async () => {
    const workflowId = `elevo-user-sync/strict/plain-${randomUUID()}`;
    const err = await plain.workflow
      .execute(ELEVO_USER_SYNC, { taskQueue: harness.taskQueue, workflowId, args: [{ tenantId: 'strict', runDate: '2026-11-20' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(causeType(err)).toBe(UNSEALED_INPUT_REFUSED);
    expect(((err as WorkflowFailedError).cause as ApplicationFailure).nonRetryable).toBe(true);
    const history = await harness.env.client.workflow.getHandle(workflowId).fetchHistory();
    expect(history.events?.some((e) => e.activityTaskScheduledEventAttributes)).toBe(false);
  });

  it('a worker running the prebuilt production bundle refuses it too (the interceptor is built in)', async () => {
    const taskQueue = `bundle-${randomUUID()}`;
    const worker = await createConnectorsWorker({
      connection: harness.env.nativeConnection,
      namespace: harness.env.client.options.namespace,
      taskQueue,
      dataConverter: createDataConverter(harness.codec),
      dependencies: { tenants: harness.tenants, artifacts: harness.artifacts },
      workflowBundle: { code: await buildWorkflowBundle() },
    });
    const err = await worker.runUntil(
      plain.workflow
        .execute(ELEVO_USER_SYNC, {
          taskQueue,
          workflowId: `elevo-user-sync/strict/bundle-${randomUUID()}`,
          args: [{ tenantId: 'strict' }],
        })
        .catch((e: unknown) => e),
    );
    expect(causeType(err)).toBe(UNSEALED_INPUT_REFUSED);
  });

  it('drops an unencrypted signal, applies the sealed one', async () => {
    const input = budgetInput();
    const handle = await harness.env.client.workflow.start(LUCCA_REQUEST_BUDGET, {
      taskQueue: harness.taskQueue,
      workflowId: `lucca-request-budget/${input.domainKey}`,
      args: [input],
    });
    try {
      await plain.workflow.getHandle(handle.workflowId).signal(pauseLuccaBudgetSignal, { forMs: 30_000 });
      expect((await handle.query(luccaBudgetStateQuery)).pausedForMs).toBe(0);
      expect((await handle.describe()).status.name).toBe('RUNNING');
      await handle.signal(pauseLuccaBudgetSignal, { forMs: 30_000 });
      expect((await handle.query(luccaBudgetStateQuery)).pausedForMs).toBeGreaterThan(25_000);
    } finally {
      await handle.terminate('test done');
    }
  });

  it('refuses an unencrypted update (even one without a validator), accepts the sealed one', async () => {
    const input = budgetInput();
    const handle = await harness.env.client.workflow.start(LUCCA_REQUEST_BUDGET, {
      taskQueue: harness.taskQueue,
      workflowId: `lucca-request-budget/${input.domainKey}`,
      args: [input],
    });
    const ask = { perMinute: 50, holder: 'strict-test' };
    try {
      const refused = await plain.workflow
        .getHandle(handle.workflowId)
        .executeUpdate(acquireLuccaPermitUpdate, { args: [ask] })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(causeType(refused)).toBe(UNSEALED_INPUT_REFUSED);
      expect((await handle.query(luccaBudgetStateQuery)).totalGranted).toBe(0);
      const granted = await handle.executeUpdate(acquireLuccaPermitUpdate, { args: [ask] });
      expect('permitId' in granted).toBe(true);
      expect((await handle.query(luccaBudgetStateQuery)).totalGranted).toBe(1);
    } finally {
      await handle.terminate('test done');
    }
  });
});
