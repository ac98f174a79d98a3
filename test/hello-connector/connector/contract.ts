// What the hello workflow and its callers share (workflow-safe: no I/O).
export const HELLO_CONNECTOR = 'hello';
export const HELLO_SYNC = 'helloSync';

export interface HelloSyncInput {
  tenantId: string;
  runDate?: string;
}

/** Counts only: the users themselves never enter workflow history. */
export interface HelloSyncResult {
  recorded: number;
}

export function helloSyncWorkflowId(tenantId: string, runDate: string): string {
  return `${HELLO_CONNECTOR}/${tenantId}/${runDate}`;
}
