import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Search attributes make runs findable in the Temporal UI by tenant, connector and employee.
 * They are stored unencrypted, so they hold opaque ids only (tenant id, Lucca user id) — never
 * names or e-mails.
 */
export const TENANT_ID = defineSearchAttributeKey('LuccaTenantId', SearchAttributeType.KEYWORD);
export const CONNECTOR = defineSearchAttributeKey('LuccaConnector', SearchAttributeType.KEYWORD);
export const EMPLOYEE_ID = defineSearchAttributeKey('LuccaEmployeeId', SearchAttributeType.KEYWORD);
export const RUN_STATE = defineSearchAttributeKey('LuccaRunState', SearchAttributeType.KEYWORD);

/** Set by Temporal on runs started by a Schedule (including backfills): the nominal run time. */
export const SCHEDULED_START_TIME = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

export const ALL_SEARCH_ATTRIBUTES = [TENANT_ID, CONNECTOR, EMPLOYEE_ID, RUN_STATE];
