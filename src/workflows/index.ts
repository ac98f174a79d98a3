// The workflow types every connector shares. Each connector's own are in its folder, named by its definition's
// workflowsPath; the worker bundles both (src/runtime/workflows-entry.ts).
export { luccaConnectionCheck } from './lucca-connection-check';
export { luccaRequestBudget } from './lucca-request-budget';
export { luccaChangeFeed } from './lucca-change-feed/lucca-change-feed';
