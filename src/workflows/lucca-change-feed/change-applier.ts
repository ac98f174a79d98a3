import { ParentClosePolicy, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { ELEVO_USER_SYNC_CONNECTOR } from '../../connectors/elevo-user-sync/contract';
import { AEQUIVALENT_SCREENING_CONNECTOR } from '../../connectors/aequivalent-screening/contract';
import { connectorRunAttributes } from '../../shared/search-attributes';
import { elevoUserSync } from '../elevo-user-sync/elevo-user-sync';
import { screeningIntake } from '../aequivalent-screening/screening-intake';

const { elevoSyncLockHolder } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 3 },
});

/** The run applying one set of changes: started by the feed, followed without blocking its polls. */
export interface ApplyRun {
  ids: number[];
  oldestObservedAt?: string;
  startedAt: number;
  /** A full run instead of a targeted one (a burst). */
  full: boolean;
  settled: boolean;
  error?: unknown;
}

/**
 * Starts the run that applies changed employees, as an ordinary run of the connector (same
 * workflow, rules, safety checks, tenant lock and report): a targeted Elevo sync, a full one for a
 * burst, or a screening intake (order ids are deterministic: never ordered twice). Abandoned, not
 * cancelled, when the feed continues as new: a run held for approval may last days.
 */
export class ChangeApplier {
  private seq = 0;
  current?: ApplyRun;

  constructor(
    private readonly tenantId: string,
    private readonly connector: string,
  ) {}

  get running(): boolean {
    return this.current !== undefined && !this.current.settled;
  }

  /** `busy`: another run holds the tenant (the daily one): nothing started, try at the next tick. */
  async start(change: { ids: number[]; oldestObservedAt?: string; full: boolean }, burstThreshold: number): Promise<'started' | 'busy'> {
    const { ids, oldestObservedAt } = change;
    const full = change.full || ids.length > burstThreshold;
    const workflowId = `${this.connector}/${this.tenantId}/changes/${workflowInfo().runId.slice(0, 8)}-${++this.seq}`;
    const common = {
      workflowId,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: connectorRunAttributes(this.tenantId, this.connector),
    };
    let result: Promise<unknown>;
    if (this.connector === ELEVO_USER_SYNC_CONNECTOR) {
      // Asked first so a daily run in progress does not turn every tick into a refused (and alerted) run.
      if ((await elevoSyncLockHolder({ tenantId: this.tenantId })).holder) return 'busy';
      const handle = await startChild(elevoUserSync, {
        ...common,
        args: [{ tenantId: this.tenantId, ...(full ? {} : { employeeIds: ids }) }],
      });
      result = handle.result();
    } else if (this.connector === AEQUIVALENT_SCREENING_CONNECTOR) {
      const handle = await startChild(screeningIntake, { ...common, args: [{ tenantId: this.tenantId }] });
      result = handle.result();
    } else {
      return 'busy';
    }
    const run: ApplyRun = { ids, startedAt: Date.now(), full, settled: false, ...(oldestObservedAt ? { oldestObservedAt } : {}) };
    this.current = run;
    result.then(
      () => {
        run.settled = true;
      },
      (err) => {
        run.settled = true;
        run.error = err;
      },
    );
    return 'started';
  }
}
