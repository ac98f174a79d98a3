/**
 * Workflow interceptors every worker runs: unencrypted starts, signals and updates are refused; a
 * failed connector run raises the "run failed" alert.
 * Given to Worker.create, and built into prebuilt bundles (workflow-bundle.ts).
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../workflows/unsealed-input-interceptor'), require.resolve('../workflows/alert-on-failure-interceptor')];
