import { condition, currentUpdateInfo, log, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import { describeSafetyReason } from '../../connectors/elevo-user-sync/domain/safety-check';
import {
  approveElevoSyncUpdate,
  rejectElevoSyncUpdate,
  type ApprovalDecision,
  type ElevoSyncResult,
  type PreparedPlan,
} from '../../connectors/elevo-user-sync/contract';
import { provenIdentity } from '../../shared/operator-identity';
import { requireOperatorProof } from '../../shared/operator-proof';
import { countUnapprovedSuspensions, finishRun, prepareElevoSyncPlan, setStatus, showPlan, type ElevoSyncRun } from './elevo-sync-run';
import { raiseAlert } from '../raise-alert';

/** What planning led to: a plan to apply, or a run that already ended (rejected, timed out, approval outdated). */
export type PlanningOutcome = { kind: 'apply'; plan: PreparedPlan } | { kind: 'ended'; result: ElevoSyncResult };

/**
 * The approve / reject updates: accepted only while the run is held, and only with an operator proof
 * signed for this run, fresh and not used before (checked by the validator, so a refused decision never
 * enters the history). The decision records the operator the proof names, never a typed name.
 */
export function acceptApprovals(run: ElevoSyncRun): void {
  const usedNonces = new Set<string>();
  const decide = (approved: boolean) => (d: ApprovalDecision) => {
    const updateId = currentUpdateInfo()?.id;
    const proven = provenIdentity(d);
    if (proven.nonce) usedNonces.add(proven.nonce);
    run.decision = {
      by: proven.by,
      client: d.client,
      ...(proven.key ? { key: proven.key } : {}),
      ...(d.comment !== undefined ? { comment: d.comment } : {}),
      approved,
      // So the report can show the client identity Temporal itself recorded with this update.
      ...(updateId ? { request: { runId: workflowInfo().runId, updateId } } : {}),
    };
  };
  const onlyWhenHeld = (command: 'approve' | 'reject') => (decision: ApprovalDecision) => {
    requireOperatorProof(decision, { command, runId: workflowInfo().runId, nowMs: Date.now(), usedNonces });
    if (run.progress.status !== 'held') throw new Error(`the run is not waiting for approval (status: ${run.progress.status})`);
  };
  setHandler(approveElevoSyncUpdate, decide(true), { validator: onlyWhenHeld('approve') });
  setHandler(rejectElevoSyncUpdate, decide(false), { validator: onlyWhenHeld('reject') });
}

/** Holds a run the safety check stopped until someone decides, or the approval timeout ends it. */
export async function holdForApproval(
  run: ElevoSyncRun,
  prepared: PreparedPlan,
  planKey: string,
  scheduledAt: Date | undefined,
): Promise<PlanningOutcome> {
  const { input, progress } = run;
  setStatus(run, 'held', `Held for approval: ${progress.holdReasons.map(describeSafetyReason).join('; ')}`);
  log.warn('Elevo sync held for approval', { tenantId: input.tenantId, reasons: progress.holdReasons.map((r) => r.code) });
  const reasons = progress.holdReasons.map((r) => ({ code: r.code, description: describeSafetyReason(r) }));
  await raiseAlert({ kind: 'run-held', tenantId: input.tenantId, connector: 'elevo-user-sync', runId: workflowInfo().workflowId, reasons });
  const decided = await condition(() => run.decision !== undefined, (input.approvalTimeout ?? '72 hours') as Duration);
  if (!decided || !run.decision?.approved) {
    return { kind: 'ended', result: await finishRun(run, prepared.runKey, decided ? 'rejected' : 'approval-timed-out') };
  }
  if (!patched('elevo-approval-recheck')) return { kind: 'apply', plan: prepared };
  return recheckAfterApproval(run, prepared, planKey, scheduledAt);
}

/**
 * The approval may come days later: re-plan on the current data, and refuse if the fresh plan
 * suspends anyone the approver did not see (fewer or the same suspensions are covered).
 */
async function recheckAfterApproval(
  run: ElevoSyncRun,
  approved: PreparedPlan,
  planKey: string,
  scheduledAt: Date | undefined,
): Promise<PlanningOutcome> {
  setStatus(run, 'rechecking', 'Approved: re-planning on the current Lucca and Elevo data before writing');
  const fresh = await prepareElevoSyncPlan({
    tenantId: run.input.tenantId,
    runKey: `${planKey}/after-approval`,
    runDate: approved.runDate,
    scheduledAt: scheduledAt?.toISOString(),
    ...(run.input.employeeIds ? { employeeIds: run.input.employeeIds } : {}),
  });
  run.elevoRequests += fresh.elevoRequests;
  const { unapproved } = await countUnapprovedSuspensions({ approvedRunKey: approved.runKey, runKey: fresh.runKey });
  if (unapproved > 0) {
    const details = `Approval outdated: Lucca or Elevo changed since; the current plan would suspend ${unapproved} user(s) nobody approved. Nothing was written; run again and approve the new plan.`;
    return { kind: 'ended', result: await finishRun(run, fresh.runKey, 'approval-outdated', details) };
  }
  showPlan(run, fresh, fresh.batchCount);
  return { kind: 'apply', plan: fresh };
}
