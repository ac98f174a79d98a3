import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH, PAYLOAD_CONVERTER_PATH } from '../codec/data-converter';
import { WORKFLOW_INTERCEPTOR_MODULES } from './workflow-interceptor-modules';
import { workflowsEntry } from './workflows-entry';

/** File name of the prebuilt bundle, next to the compiled worker (dist/) in production. */
export const WORKFLOW_BUNDLE_FILE = 'workflow-bundle.js';

const quiet = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} };

/**
 * The workflows as one bundle, built ahead of time (`npm run build`) so a worker starts without
 * webpack (faster, less memory) and every worker of a release runs byte-identical workflow code.
 * The failure converter must be inside: it seals failure messages in the workflow sandbox too; so
 * must the workflow interceptors (unencrypted inputs refused).
 */
export async function buildWorkflowBundle(): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: workflowsEntry(),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    payloadConverterPath: PAYLOAD_CONVERTER_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: quiet,
  });
  return code;
}

/**
 * The bundle a worker should load: LUCCA_CONNECTORS_WORKFLOW_BUNDLE, else the one `npm run build`
 * wrote next to the compiled code; undefined when running from sources (bundled at start-up).
 */
export function prebuiltWorkflowBundlePath(env: NodeJS.ProcessEnv = process.env, compiledDir = join(__dirname, '..')): string | undefined {
  if (env.LUCCA_CONNECTORS_WORKFLOW_BUNDLE) {
    if (!existsSync(env.LUCCA_CONNECTORS_WORKFLOW_BUNDLE))
      throw new Error(`LUCCA_CONNECTORS_WORKFLOW_BUNDLE points to a missing file: ${env.LUCCA_CONNECTORS_WORKFLOW_BUNDLE}`);
    return env.LUCCA_CONNECTORS_WORKFLOW_BUNDLE;
  }
  const built = join(compiledDir, WORKFLOW_BUNDLE_FILE);
  return __filename.endsWith('.js') && existsSync(built) ? built : undefined;
}
