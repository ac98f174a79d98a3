export * from './sync-model';
export { computeSyncPlan } from './compute-sync-plan';
export { summarizePlan, type PlanSummary } from './summarize-plan';
export { lockedAttributeNames, changesToPatch, normalizeText, emailKey } from './attribute-mapping';
export { employmentState, validateSourceEmployee, type EmploymentState } from './source-validation';
