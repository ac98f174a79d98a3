/**
 * Workflow interceptors every worker runs: unencrypted starts, signals and updates are refused.
 * Given to Worker.create, and built into prebuilt bundles (workflow-bundle.ts).
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../workflows/unsealed-input-interceptor')];
