import { ApplicationFailure } from '@temporalio/common';
import type { PreparedOrder } from '../../src/activities/aequivalent-screening/prepare-screening-order';
import type { DossierSnapshot } from '../../src/activities/aequivalent-screening/screening-order-activities';
import type { DossierRequest } from '../../src/connectors/aequivalent-screening/aequivalent/schemas';
import {
  cancelOrderUpdate,
  dossierStatusChangedSignal,
  orderStateQuery,
  SCREENING_ORDER,
  type DossierResultName,
  type DossierStatusName,
  type ScreeningOrderResult,
} from '../../src/connectors/aequivalent-screening/contract';
import { startStubbedWorkflowEnv, type StubbedWorkflowEnv } from '../support/stubbed-workflow-env';
import { signedFor } from '../support/test-operator';

/**
 * The screening order's lifecycle with stubbed activities (fast; the real-server tests with the
 * Lucca and Aequivalent simulators stay in test/integration/aequivalent-screening): placed once, written back
 * until done, followed through webhooks (duplicates, disorder, other dossiers) or polls, cancelled.
 */
interface Scenario {
  prepared: PreparedOrder;
  /** Dossier reads (polls, refused cancels), in order; the last one repeats. */
  reads: DossierSnapshot[];
  /** The create waits for this (lets a test queue webhooks before the order follows the dossier). */
  createGate?: Promise<void>;
  writeFailures: number;
  transferFails?: boolean;
  cancelRefused?: boolean;
  calls: { creates: number; writes: number[]; transfers: number; reads: number; cancels: number };
}

const DOSSIER = 'D-1';
const at = (minute: number) => `2026-11-20T10:${String(minute).padStart(2, '0')}:00Z`;
const snapshot = (
  status: DossierStatusName,
  result: DossierResultName | null = null,
  earlier: DossierStatusName[] = [],
): DossierSnapshot => ({
  dossierId: DOSSIER,
  status,
  result,
  history: [...earlier, status].map((s, i) => ({ status: s, at: at(i), source: 'poll' as const })),
});
const ready = (
  pollIntervalMinutes: number,
  extra: { files?: number; mirror?: Partial<Record<DossierStatusName, number>> } = {},
): PreparedOrder => ({
  kind: 'ready',
  request: { externalReference: 'stub' } as DossierRequest,
  files: Array.from({ length: extra.files ?? 1 }, (_, i) => ({ fileId: `file-${i}`, kind: 'cv' as const })),
  target: { statusValueId: 7, createdEntryId: 11, mirrorEntryIds: extra.mirror ?? {} },
  warnings: [],
  pollIntervalMinutes,
  followUpDeadlineDays: 60,
  writeBackAlertHours: 24,
});
/** Fails at once: the retry policy is not what these tests are about. */
const permanent = (type: string) => ApplicationFailure.nonRetryable(`stubbed ${type}`, type);

let t: StubbedWorkflowEnv<Scenario>;

beforeAll(async () => {
  t = await startStubbedWorkflowEnv<Scenario>((scenario) => ({
    async prepareScreeningOrder() {
      return scenario().prepared;
    },
    async createScreeningDossier() {
      const s = scenario();
      s.calls.creates += 1;
      await s.createGate;
      return { ...snapshot('created'), created: true };
    },
    async writeScreeningStatus(input) {
      const s = scenario();
      s.calls.writes.push(input.entryId);
      if (s.calls.writes.length <= s.writeFailures) throw permanent('LuccaServerError');
    },
    async transferScreeningFiles(input) {
      const s = scenario();
      s.calls.transfers += 1;
      if (s.transferFails) throw permanent('AequivalentConflictError');
      return { transferred: input.files.length };
    },
    async getScreeningDossier() {
      const s = scenario();
      s.calls.reads += 1;
      return s.reads[Math.min(s.calls.reads, s.reads.length) - 1]!;
    },
    async cancelScreeningDossier() {
      const s = scenario();
      s.calls.cancels += 1;
      if (s.cancelRefused) throw permanent('AequivalentConflictError');
      return snapshot('cancelled', null, ['created']);
    },
  }));
});
afterAll(() => t?.stop());

async function startOrder(name: string, scenario: Partial<Scenario> & Pick<Scenario, 'prepared'>) {
  const workflowId = t.scenario(name, {
    reads: [snapshot('created')],
    writeFailures: 0,
    calls: { creates: 0, writes: [], transfers: 0, reads: 0, cancels: 0 },
    ...scenario,
  });
  const handle = await t.env.client.workflow.start(SCREENING_ORDER, {
    workflowId,
    taskQueue: t.taskQueue,
    args: [{ tenantId: 'acme', luccaId: 416, orderKey: '9' }],
  });
  return {
    handle,
    calls: t.scenarioOf(workflowId).calls,
    result: () => handle.result() as Promise<ScreeningOrderResult>,
    state: () => handle.query(orderStateQuery),
  };
}

const event = (eventId: string, status: DossierStatusName, result: DossierResultName | null = null, dossierId = DOSSIER) => ({
  eventId,
  dossierId,
  status,
  result,
  occurredAt: at(30),
});

async function waitForStage(order: Awaited<ReturnType<typeof startOrder>>, stage: string) {
  while ((await order.state()).stage !== stage) await new Promise((r) => setTimeout(r, 50));
}

describe('screeningOrder workflow (stubbed activities)', () => {
  it('places the order once, writes "created" back, hands the files over and follows webhooks to the result', async () => {
    // The final status is confirmed by reading the dossier before the order ends on it.
    const order = await startOrder('webhooks', {
      prepared: ready(60, { files: 2 }),
      reads: [snapshot('report_available', 'compliant', ['created', 'candidate_invited', 'consent_given', 'in_progress'])],
    });
    await waitForStage(order, 'following');
    for (const [i, status] of (['candidate_invited', 'consent_given', 'in_progress'] as const).entries())
      await order.handle.signal(dossierStatusChangedSignal, event(`e${i}`, status));
    await order.handle.signal(dossierStatusChangedSignal, event('e3', 'report_available', 'compliant'));
    expect(await order.result()).toEqual({ outcome: 'compliant', dossierId: DOSSIER });
    expect(order.calls).toMatchObject({ creates: 1, writes: [11], transfers: 1, reads: 1 });
    const state = await order.state();
    expect(state.history.map((h) => h.status)).toEqual([
      'created',
      'candidate_invited',
      'consent_given',
      'in_progress',
      'report_available',
    ]);
    expect(state).toMatchObject({ stage: 'completed', filesTransferred: 2, signalsApplied: 4, signalsIgnored: 0 });
  });

  it('keeps the lifecycle order when webhooks arrive late, twice, or for another dossier', async () => {
    let open!: () => void;
    const order = await startOrder('disorder', {
      prepared: ready(60),
      createGate: new Promise<void>((r) => (open = r)),
      reads: [snapshot('report_available', 'attention_points', ['created', 'in_progress'])],
    });
    await order.handle.signal(dossierStatusChangedSignal, event('e9', 'report_available', 'attention_points'));
    await order.handle.signal(dossierStatusChangedSignal, event('e9', 'report_available', 'attention_points'));
    await order.handle.signal(dossierStatusChangedSignal, event('e5', 'in_progress'));
    await order.handle.signal(dossierStatusChangedSignal, event('x1', 'cancelled', null, 'D-other'));
    open();
    expect(await order.result()).toMatchObject({ outcome: 'attention_points' });
    const state = await order.state();
    expect(state.history.map((h) => h.status)).toEqual(['created', 'in_progress', 'report_available']);
    expect(state).toMatchObject({ signalsApplied: 2, signalsIgnored: 2 }); // the redelivery and the other dossier's event
  });

  it('polls the dossier when no webhook comes, filling in the states it missed', async () => {
    const order = await startOrder('polls', {
      prepared: ready(0.001), // 1 s, the workflow's shortest poll
      reads: [
        snapshot('in_progress', null, ['created', 'candidate_invited']),
        snapshot('report_available', 'non_compliant', ['created', 'candidate_invited', 'consent_given', 'in_progress']),
      ],
    });
    expect(await order.result()).toMatchObject({ outcome: 'non_compliant' });
    const state = await order.state();
    expect(state.polls).toBe(2);
    expect(state.history.map((h) => h.status)).toEqual([
      'created',
      'candidate_invited',
      'consent_given',
      'in_progress',
      'report_available',
    ]);
  });

  it('keeps writing the status back to Lucca without ever ordering again', async () => {
    const order = await startOrder('write-back', {
      prepared: ready(0.001),
      writeFailures: 2,
      reads: [snapshot('expired', null, ['created', 'candidate_invited'])],
    });
    expect(await order.result()).toMatchObject({ outcome: 'expired' });
    expect(order.calls).toMatchObject({ creates: 1, writes: [11, 11, 11] });
    expect((await order.state()).writeBackFailures).toBe(2);
  });

  it('mirrors later dossier states into the Lucca list when the tenant maps them', async () => {
    const order = await startOrder('mirror', {
      prepared: ready(60, { mirror: { report_available: 77 } }),
      reads: [snapshot('report_available', 'compliant', ['created'])],
    });
    await order.handle.signal(dossierStatusChangedSignal, event('e1', 'report_available', 'compliant'));
    await order.result();
    expect(order.calls.writes).toEqual([11, 77]);
  });

  it('reports files it could not hand over and still follows the placed order', async () => {
    const order = await startOrder('files', {
      prepared: ready(60),
      transferFails: true,
      reads: [snapshot('consent_refused', null, ['created'])],
    });
    await order.handle.signal(dossierStatusChangedSignal, event('e1', 'consent_refused'));
    const result = await order.result();
    expect(result.outcome).toBe('consent_refused');
    expect(result.problems?.map((p) => p.code)).toEqual(['file_transfer_failed']);
  });

  it('places nothing for an invalid order or one HR withdrew', async () => {
    const problems = [{ code: 'missing', field: 'birthDate', message: 'The birth date is missing.' }];
    const invalid = await startOrder('invalid', { prepared: { kind: 'invalid', problems, pollIntervalMinutes: 60 } });
    expect(await invalid.result()).toEqual({ outcome: 'invalid', problems });
    const withdrawn = await startOrder('withdrawn', {
      prepared: { kind: 'cancelled-by-hr', reason: 'status-not-to-order', pollIntervalMinutes: 60 },
    });
    expect(await withdrawn.result()).toMatchObject({ outcome: 'cancelled-by-hr', problems: [{ code: 'status-not-to-order' }] });
    expect([invalid.calls.creates, withdrawn.calls.creates]).toEqual([0, 0]);
    // HR is told what to fix for the invalid one; a withdrawn request needs no alert.
    expect(t.alertsOf(invalid.handle.workflowId)).toEqual([
      { kind: 'order-invalid', tenantId: 'acme', runId: invalid.handle.workflowId, luccaId: 416, problems },
    ]);
    expect(t.alertsOf(withdrawn.handle.workflowId)).toEqual([]);
  });

  it('cancels the dossier on request, and a second request is refused', async () => {
    const order = await startOrder('cancel', { prepared: ready(60) });
    await waitForStage(order, 'following');
    // Both signed up front: the second must be refused as "already cancelling", not miss a closed run.
    const [first, second] = [
      await signedFor(order.handle, 'cancelOrder', { by: 'jane', client: 'test-client' }),
      await signedFor(order.handle, 'cancelOrder', { by: 'jane', client: 'test-client' }),
    ];
    await order.handle.executeUpdate(cancelOrderUpdate, { args: [first] });
    await expect(order.handle.executeUpdate(cancelOrderUpdate, { args: [second] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/already/) },
    });
    expect(await order.result()).toMatchObject({ outcome: 'cancelled' });
    expect(order.calls.cancels).toBe(1);
  });

  it('keeps Aequivalent’s final state when it refuses a cancel because the dossier already ended', async () => {
    const order = await startOrder('cancel refused', {
      prepared: ready(60),
      cancelRefused: true,
      reads: [snapshot('report_available', 'compliant', ['created', 'in_progress'])],
    });
    await waitForStage(order, 'following');
    await order.handle.executeUpdate(cancelOrderUpdate, {
      args: [await signedFor(order.handle, 'cancelOrder', { by: 'jane', client: 'test-client' })],
    });
    expect(await order.result()).toMatchObject({ outcome: 'compliant' });
  });
});
