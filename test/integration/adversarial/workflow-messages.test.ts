import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import {
  releaseElevoSyncLockSignal,
  elevoSyncLockWorkflowId,
  ELEVO_SYNC_TENANT_LOCK,
  ELEVO_USER_SYNC,
} from '../../../src/connectors/elevo-user-sync/contract';
import {
  acquireLuccaPermitUpdate,
  LUCCA_REQUEST_BUDGET,
  luccaBudgetStateQuery,
  pauseLuccaBudgetSignal,
  returnLuccaPermitSignal,
  type LuccaBudgetInput,
} from '../../../src/shared/lucca-budget-contract';
import { MAX_LUCCA_PAUSE_MS } from '../../../src/shared/lucca-budget-messages';
import { startConnectorHarness, type ConnectorHarness } from '../../support/connector-harness';
import { waitFor } from '../../support/wait-for';
import { acceptedUpdates, outcomeOfLastMessage } from './message-history';

/**
 * Attacks on the workflows' message handlers, on a real dev server with the production worker
 * (payload codec, strict decoding). The attacker holds Temporal API access; messages without payload
 * skip the codec, and sealed ones may come from anyone who can seal (see docs/threat-model.md).
 */
const NOWHERE = 'http://127.0.0.1:9'; // nothing listens: a sync's planning keeps retrying, holding its lock
const sendUntyped = (handle: WorkflowHandle, name: string, ...args: unknown[]) => handle.signal(name, ...args);

describe('adversarial: workflow messages', () => {
  let harness: ConnectorHarness;

  beforeAll(async () => {
    harness = await startConnectorHarness({
      tenants: (secretRef) =>
        ['locked', 'byhand'].map((id) => ({
          id,
          luccaBaseUrl: `${NOWHERE}/${id}`,
          luccaApiKey: randomUUID(),
          sections: { elevo: { baseUrl: `${NOWHERE}/${id}`, token: secretRef(`${id}-elevo.token`, randomUUID()) } },
        })),
    });
  });
  afterAll(async () => harness?.stop());

  describe('the Lucca request budget', () => {
    let budget: WorkflowHandle;
    beforeEach(async () => {
      const input: LuccaBudgetInput = { domainKey: `adversarial-${randomUUID()}`, perMinute: 50, windowMs: 63_000 };
      budget = await harness.env.client.workflow.start(LUCCA_REQUEST_BUDGET, {
        taskQueue: harness.taskQueue,
        workflowId: `lucca-request-budget/v2/${input.domainKey}`,
        args: [input],
      });
    });
    afterEach(async () => budget.terminate('test done').catch(() => undefined));

    it('drops a pause without payload (it skips strict decoding) and keeps granting permits', async () => {
      await sendUntyped(budget, pauseLuccaBudgetSignal.name);
      expect(await outcomeOfLastMessage(budget)).toBe('completed');
      await sendUntyped(budget, returnLuccaPermitSignal.name);
      expect(await outcomeOfLastMessage(budget)).toBe('completed');
      expect(await budget.executeUpdate(acquireLuccaPermitUpdate, { args: [{ perMinute: 50, holder: 'probe' }] })).toEqual({
        permitId: 1,
        waitMs: 0,
      });
    });

    it('cuts a month-long pause to the longest Retry-After Lucca can mean (its 60 s window)', async () => {
      await budget.signal(pauseLuccaBudgetSignal, { forMs: 30 * 24 * 3600 * 1000 });
      expect(await outcomeOfLastMessage(budget)).toBe('completed');
      const { pausedForMs } = await budget.query(luccaBudgetStateQuery);
      expect(pausedForMs).toBeGreaterThan(0);
      expect(pausedForMs).toBeLessThanOrEqual(MAX_LUCCA_PAUSE_MS);
    });

    it('rejects a malformed or empty permit ask before it reaches the history', async () => {
      for (const args of [[], [{ perMinute: 1e9, holder: 'probe' }], [{ perMinute: 50 }]]) {
        const err = await budget.executeUpdate(acquireLuccaPermitUpdate.name, { args: args as [unknown] }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      }
      expect(await acceptedUpdates(budget)).toBe(0);
      expect((await budget.query(luccaBudgetStateQuery)).totalGranted).toBe(0);
    });
  });

  describe("a tenant's Elevo sync lock", () => {
    it('is released by its holder only: not by a release without argument, nor one naming another run', async () => {
      const sync = await harness.env.client.workflow.start(ELEVO_USER_SYNC, {
        taskQueue: harness.taskQueue,
        workflowId: `elevo-user-sync/locked/adversarial-${randomUUID()}`,
        args: [{ tenantId: 'locked' }],
      });
      const lock = harness.env.client.workflow.getHandle(elevoSyncLockWorkflowId('locked'));
      try {
        const held = await waitFor(
          'the sync to hold its lock',
          async () => (await lock.describe().catch(() => undefined))?.status.name === 'RUNNING' || undefined,
        );
        expect(held).toBe(true);
        await sendUntyped(lock, releaseElevoSyncLockSignal.name);
        expect(await outcomeOfLastMessage(lock)).toBe('completed');
        await lock.signal(releaseElevoSyncLockSignal, { holderWorkflowId: sync.workflowId, holderRunId: randomUUID() });
        expect(await outcomeOfLastMessage(lock)).toBe('completed');
        expect((await lock.describe()).status.name).toBe('RUNNING');
        // Control: the release the holder itself sends (its execution's ids) does free it.
        await lock.signal(releaseElevoSyncLockSignal, { holderWorkflowId: sync.workflowId, holderRunId: sync.firstExecutionRunId });
        await waitFor(
          'the holder’s release to free the lock',
          async () => (await lock.describe()).status.name === 'COMPLETED' || undefined,
        );
      } finally {
        await sync.terminate('test done').catch(() => undefined);
      }
    });

    it('started by hand (no holding sync), refuses at once instead of blocking the tenant’s syncs', async () => {
      const lock = await harness.env.client.workflow.start(ELEVO_SYNC_TENANT_LOCK, {
        taskQueue: harness.taskQueue,
        workflowId: elevoSyncLockWorkflowId('byhand'),
        args: [{ tenantId: 'byhand' }],
      });
      try {
        const status = await waitFor('the hand-started lock to end', async () => {
          const name = (await lock.describe()).status.name;
          return name === 'RUNNING' ? undefined : name;
        });
        expect(status).toBe('FAILED');
        await expect(lock.result()).rejects.toMatchObject({ cause: { type: 'ElevoSyncLockWithoutHolder' } });
      } finally {
        await lock.terminate('test done').catch(() => undefined);
      }
    });
  });
});
