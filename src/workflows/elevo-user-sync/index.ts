// The connector's workflow types (its definition's workflowsPath): bundled for every worker.
export { elevoUserSync } from './elevo-user-sync';
export { elevoSyncTenantLock } from './elevo-sync-tenant-lock';
