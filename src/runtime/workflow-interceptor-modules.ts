/**
 * Workflow interceptors every worker runs: unencrypted starts, signals and updates are refused, and so
 * are payloads sealed for another workflow or tenant (payload-binding-interceptor.ts); a
 * failed connector run raises the "run failed" alert.
 * Given to Worker.create, and built into prebuilt bundles (workflow-bundle.ts).
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [
  require.resolve('../workflows/unsealed-input-interceptor'),
  require.resolve('../workflows/payload-binding-interceptor'),
  require.resolve('../workflows/alert-on-failure-interceptor'),
];
