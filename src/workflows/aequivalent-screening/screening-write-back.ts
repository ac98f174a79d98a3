import { ActivityFailure, CancellationScope, log, patched, proxyActivities, setCurrentDetails, sleep } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { advice } from '../../onboarding/lucca-setup-advice';
import { failureType } from '../failure-type';
import { raiseAlert } from '../raise-alert';
import type { PlacedOrder, ScreeningOrderRun } from './screening-order-run';
import { HEARTBEAT_TIMEOUT } from '../activity-heartbeat-timeout';

// Write-back: retried by Temporal, then by the loop below, until it is done.
const { writeScreeningStatus } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '2 seconds', maximumInterval: '10 minutes', maximumAttempts: 20 },
});

const WRITE_BACK_PAUSE_MAX_MS = 60 * 60 * 1000;

/**
 * Lucca may refuse writes for a while (rate limit, outage, a key that lost a right): the order is
 * already placed, so we keep trying, with pauses up to an hour, and never order again. Past
 * `writeBackAlertMs` the order shows the stage `write-back-blocked` so an operator finds it.
 */
export async function writeUntilDone(
  run: ScreeningOrderRun,
  on: Pick<PlacedOrder, 'target' | 'pollMs' | 'writeBackAlertMs'>,
  entryId: number,
  what: string,
): Promise<void> {
  const since = Date.now();
  const { input, state } = run;
  const alert = () => {
    if (state.stage === 'write-back-blocked') return;
    run.setStage(
      'write-back-blocked',
      `Lucca write-back (${what}) blocked since ${new Date(since).toISOString()} (${state.writeBackFailures} failed attempts so far); still retrying`,
    );
    log.warn('Lucca write-back blocked past the alert threshold', {
      tenantId: input.tenantId,
      luccaId: input.luccaId,
      failures: state.writeBackFailures,
    });
  };
  // Same cadence as the polling at first (hours in production), doubling up to an hour.
  for (let pauseMs = Math.min(on.pollMs, WRITE_BACK_PAUSE_MAX_MS); ; pauseMs = Math.min(pauseMs * 2, WRITE_BACK_PAUSE_MAX_MS)) {
    try {
      const write = writeScreeningStatus({
        tenantId: input.tenantId,
        luccaId: input.luccaId,
        statusValueId: on.target.statusValueId,
        entryId,
      });
      // The alert timer is a new command: orders already past this point under the previous
      // release replay without it (README, "Changing a workflow safely").
      if (patched('write-back-alert-timer')) await alertWhenSlow(write, since + on.writeBackAlertMs - Date.now(), alert);
      else await write;
      return;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      await writeFailed(run, err, what, pauseMs);
      if (patched('write-back-alert-timer')) await alertWhenSlow(sleep(pauseMs), since + on.writeBackAlertMs - Date.now(), alert);
      else await sleep(pauseMs);
    }
  }
}

/** Counts and logs a refused write; the first one raises an alert saying what to fix. */
async function writeFailed(run: ScreeningOrderRun, err: ActivityFailure, what: string, pauseMs: number): Promise<void> {
  const { input, state } = run;
  state.writeBackFailures += 1;
  log.warn('Lucca write-back failed; will retry', { tenantId: input.tenantId, luccaId: input.luccaId, failure: failureType(err) });
  // A refused write is the one right `tenants check` cannot see without writing: say what to fix
  // (in the details first, visible at once, then the alert, which takes an activity).
  const fix = failureType(err) === 'LuccaPermissionError' ? ` — ${advice.writeSection('Background check')}` : '';
  if (state.stage !== 'write-back-blocked')
    setCurrentDetails(`Lucca write-back (${what}) blocked: ${failureType(err)}; next try in ${Math.round(pauseMs / 1000)} s${fix}`);
  if (state.writeBackFailures === 1) {
    await raiseAlert({
      kind: 'write-back-blocked',
      tenantId: input.tenantId,
      runId: run.workflowId,
      luccaId: input.luccaId,
      dossierId: state.dossierId ?? '-',
      failure: failureType(err),
      attempts: state.writeBackFailures,
    });
  }
}

/** Awaits `work`; calls `onSlow` if it is still pending after `afterMs` (the timer is cancelled otherwise). */
async function alertWhenSlow<T>(work: Promise<T>, afterMs: number, onSlow: () => void): Promise<T> {
  if (afterMs <= 0) {
    onSlow();
    return work;
  }
  const scope = new CancellationScope();
  scope.run(() => sleep(afterMs)).then(onSlow, () => undefined);
  try {
    return await work;
  } finally {
    scope.cancel();
  }
}
