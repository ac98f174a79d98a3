import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Search attributes make runs findable in the Temporal UI by tenant, connector and employee.
 * They are stored unencrypted (the payload codec never sees them), so they hold opaque ids and
 * stages only (tenant id, Lucca user id, run stage) — never names, e-mails or screening outcomes.
 */
export const TENANT_ID = defineSearchAttributeKey('LuccaTenantId', SearchAttributeType.KEYWORD);
export const CONNECTOR = defineSearchAttributeKey('LuccaConnector', SearchAttributeType.KEYWORD);
export const EMPLOYEE_ID = defineSearchAttributeKey('LuccaEmployeeId', SearchAttributeType.KEYWORD);
/** The stage of a run (`planning`, `held`, `following`, `completed`, …): never how it ended for an employee. */
export const RUN_STATE = defineSearchAttributeKey('LuccaRunState', SearchAttributeType.KEYWORD);

/** Set by Temporal on runs started by a Schedule (including backfills): the nominal run time. */
export const SCHEDULED_START_TIME = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

export const ALL_SEARCH_ATTRIBUTES = [TENANT_ID, CONNECTOR, EMPLOYEE_ID, RUN_STATE];

/** What every starter of a connector's run sets at start (schedules, `run`, `npm start`), so the run is findable — and alerts name its connector — from its first task. */
export function connectorRunAttributes(tenantId: string, connector: string) {
  return [
    { key: TENANT_ID, value: tenantId },
    { key: CONNECTOR, value: connector },
  ];
}
