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

export const ALL_SEARCH_ATTRIBUTES = [TENANT_ID, CONNECTOR, EMPLOYEE_ID, RUN_STATE];

export type ConnectorName = 'elevo-user-sync' | 'aequivalent-screening';
