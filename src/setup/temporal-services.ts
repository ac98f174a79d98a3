import type { OperatorService, WorkflowService } from '@temporalio/client';

/** What setup and the start-up checks use: both `Connection` (client) and `NativeConnection` (worker) have it. */
export interface TemporalServices {
  workflowService: WorkflowService;
  operatorService: OperatorService;
}
