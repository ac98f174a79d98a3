// The worker's workflowsPath: every workflow type is exported from here.
export { luccaConnectionCheck } from './lucca-connection-check';
export { elevoUserSync } from './elevo-user-sync/elevo-user-sync';
export { screeningIntake } from './aequivalent-screening/screening-intake';
export { screeningOrder } from './aequivalent-screening/screening-order';
export { luccaRequestBudget } from './lucca-request-budget';
export { elevoSyncTenantLock } from './elevo-user-sync/elevo-sync-tenant-lock';
export { luccaChangeFeed } from './lucca-change-feed/lucca-change-feed';
