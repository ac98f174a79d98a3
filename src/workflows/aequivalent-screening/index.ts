// The connector's workflow types (its definition's workflowsPath): bundled for every worker.
export { screeningIntake } from './screening-intake';
export { screeningOrder } from './screening-order';
