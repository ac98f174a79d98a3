// The worker's workflowsPath: every workflow type is exported from here.
export { luccaConnectionCheck } from './lucca-connection-check';
export { elevoUserSync } from './elevo-user-sync';
export { screeningIntake } from './screening-intake';
export { screeningOrder } from './screening-order';
export { luccaRequestBudget } from './lucca-request-budget';
export { elevoSyncTenantLock } from './elevo-sync-tenant-lock';
