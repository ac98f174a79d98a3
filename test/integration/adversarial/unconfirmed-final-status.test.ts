import { randomUUID } from 'node:crypto';
import type { PreparedOrder } from '../../../src/activities/aequivalent-screening/prepare-screening-order';
import type { DossierSnapshot } from '../../../src/activities/aequivalent-screening/screening-order-activities';
import type { DossierRequest } from '../../../src/connectors/aequivalent-screening/aequivalent/schemas';
import {
  cancelOrderUpdate,
  dossierStatusChangedSignal,
  orderStateQuery,
  SCREENING_ORDER,
  type DossierStatusName,
  type ScreeningOrderResult,
} from '../../../src/connectors/aequivalent-screening/contract';
import { startStubbedWorkflowEnv, type StubbedWorkflowEnv } from '../../support/stubbed-workflow-env';
import { waitFor } from '../../support/wait-for';
import { outcomeOfLastMessage } from './message-history';

/**
 * Someone who can deliver a status change to an order (a leaked webhook secret, or Temporal API
 * access to signal it) announces a final result that Aequivalent never gave. The order workflow runs
 * for real on a dev server; Aequivalent's answer to "GET dossier" is a stub that says where the
 * dossier really is.
 */
interface Scenario {
  /** What Aequivalent answers to a read of the dossier. */
  atAequivalent: DossierSnapshot;
  reads: number;
}

const DOSSIER = 'D-1';
const dossier = (status: DossierStatusName, earlier: DossierStatusName[]): DossierSnapshot => ({
  dossierId: DOSSIER,
  status,
  result: null,
  history: [...earlier, status].map((s, i) => ({ status: s, at: `2026-11-20T10:0${i}:00Z`, source: 'poll' as const })),
});
const prepared: PreparedOrder = {
  kind: 'ready',
  request: { externalReference: 'stub' } as DossierRequest,
  files: [],
  target: { statusValueId: 7, createdEntryId: 11, mirrorEntryIds: { report_available: 77 } },
  warnings: [],
  pollIntervalMinutes: 600,
  followUpDeadlineDays: 60,
  writeBackAlertHours: 24,
};

describe('adversarial: a final status the vendor did not give', () => {
  let t: StubbedWorkflowEnv<Scenario>;
  const luccaWrites: number[] = [];

  beforeAll(async () => {
    t = await startStubbedWorkflowEnv<Scenario>((scenario) => ({
      prepareScreeningOrder: async () => prepared,
      createScreeningDossier: async () => ({ ...dossier('created', []), created: true }),
      writeScreeningStatus: async (input) => void luccaWrites.push(input.entryId),
      transferScreeningFiles: async () => ({ transferred: 0 }),
      async getScreeningDossier() {
        scenario().reads += 1;
        return scenario().atAequivalent;
      },
      cancelScreeningDossier: async () => dossier('cancelled', ['created']),
    }));
  });
  afterAll(async () => t?.stop());

  async function followedOrder(name: string) {
    const workflowId = t.scenario(name, { atAequivalent: dossier('in_progress', ['created', 'candidate_invited']), reads: 0 });
    const handle = await t.env.client.workflow.start(SCREENING_ORDER, {
      workflowId,
      taskQueue: t.taskQueue,
      args: [{ tenantId: 'acme', luccaId: 416, orderKey: randomUUID().slice(0, 8) }],
    });
    await waitFor('the order to follow its dossier', async () => (await handle.query(orderStateQuery)).stage === 'following' || undefined);
    return { handle, scenario: t.scenarioOf(workflowId) };
  }

  it('a webhook saying "report available, compliant" ends nothing until Aequivalent confirms it', async () => {
    const { handle, scenario } = await followedOrder('forged-final');
    await handle.signal(dossierStatusChangedSignal, {
      eventId: 'evt_forged',
      dossierId: DOSSIER,
      status: 'report_available',
      result: 'compliant',
      occurredAt: '2026-11-20T10:30:00Z',
    });
    await waitFor('the confirming read', () => scenario.reads >= 1 || undefined);
    expect(await outcomeOfLastMessage(handle)).toBe('completed');
    const state = await handle.query(orderStateQuery);
    expect(state.stage).toBe('following');
    expect(state.outcome).toBeUndefined();
    expect(state.history.map((h) => h.status)).toEqual(['created', 'candidate_invited', 'in_progress']);
    expect(luccaWrites).not.toContain(77); // the mirrored "report available" label was never written to Lucca

    // Once Aequivalent really has the report, the same kind of webhook ends the order with Aequivalent's result.
    scenario.atAequivalent = { ...dossier('report_available', ['created', 'candidate_invited', 'in_progress']), result: 'non_compliant' };
    await handle.signal(dossierStatusChangedSignal, {
      eventId: 'evt_real',
      dossierId: DOSSIER,
      status: 'report_available',
      result: 'compliant',
      occurredAt: '2026-11-20T11:00:00Z',
    });
    expect(await handle.result()).toMatchObject({ outcome: 'non_compliant' } satisfies Partial<ScreeningOrderResult>);
  });

  it('a status message without payload or with a malformed one is dropped; the order goes on', async () => {
    const { handle } = await followedOrder('malformed');
    try {
      for (const message of [
        undefined,
        { eventId: 'e1', dossierId: DOSSIER, status: 'report_available' },
        { eventId: 7, dossierId: DOSSIER, status: 'in_progress', result: null, occurredAt: 'x' },
      ]) {
        await (message === undefined
          ? handle.signal(dossierStatusChangedSignal.name)
          : handle.signal(dossierStatusChangedSignal.name, message));
        expect(await outcomeOfLastMessage(handle)).toBe('completed');
      }
      expect(await handle.query(orderStateQuery)).toMatchObject({ stage: 'following', signalsIgnored: 3, signalsApplied: 0 });
    } finally {
      await handle
        .executeUpdate(cancelOrderUpdate, { args: [{ by: 'adversarial-test', client: 'adversarial-test' }] })
        .catch(() => handle.terminate('test done'));
    }
  });
});
