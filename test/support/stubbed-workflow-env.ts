import { activityInfo } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Activities } from '../../src/activities';
import type { Alert } from '../../src/shared/alert-contract';
import { startTemporalTestEnv } from './temporal-test-env';
import { workflowsEntry } from '../../src/runtime/workflows-entry';
import { OperatorProofCodec } from '../../src/codec/operator-proof-codec';
import { operatorPublicKeys } from '../../src/codec/operator-keys';
import { TEST_OPERATOR } from './test-operator';

const testOperatorKeys = operatorPublicKeys([TEST_OPERATOR]);

/**
 * Fast tests of a workflow's own logic: the real workflow code on a real dev server, with stubbed
 * activities (no simulators, no HTTP). Each test registers a scenario under its workflow id; the
 * stubs look it up from the calling activity's workflow, so tests of one file share one worker.
 */
export interface StubbedWorkflowEnv<S> {
  env: TestWorkflowEnvironment;
  taskQueue: string;
  /** The scenario of the workflow that started the current activity. */
  scenarioOf(workflowId?: string): S;
  /** Registers a scenario and returns a fresh workflow id for it. */
  scenario(name: string, value: S): string;
  /** Alerts the workflow raised (the `notify` activity is stubbed for every test: it records them). */
  alertsOf(workflowId: string): Alert[];
  stop(): Promise<void>;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** One bundle per test file (bundling is the slow part of a worker start). */
const workflowBundle = () => (bundle ??= bundleWorkflowCode({ workflowsPath: workflowsEntry(), logger: quietLogger }));

export async function startStubbedWorkflowEnv<S>(
  stubs: (scenarioOf: () => S) => Partial<Activities>,
  options: { dynamicConfig?: Record<string, number | string> } = {},
): Promise<StubbedWorkflowEnv<S>> {
  const scenarios = new Map<string, S>();
  const scenarioOf = (workflowId = activityInfo().workflowExecution?.workflowId ?? '') => {
    const scenario = scenarios.get(workflowId);
    if (!scenario) throw new Error(`no scenario for workflow ${workflowId}`);
    return scenario;
  };
  const env = await startTemporalTestEnv({ dynamicConfig: options.dynamicConfig });
  const taskQueue = `stubbed-${process.pid}`;
  const alerts = new Map<string, Alert[]>();
  const notify = async (alert: Alert) => {
    const workflowId = activityInfo().workflowExecution?.workflowId ?? '';
    alerts.set(workflowId, [...(alerts.get(workflowId) ?? []), alert]);
    return { webhook: false, emailRecipients: 0 };
  };
  // Operator commands are verified where the worker decodes them (no encryption in these fast tests).
  const dataConverter = { payloadCodecs: [new OperatorProofCodec(() => testOperatorKeys)] };
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    dataConverter,
    workflowBundle: await workflowBundle(),
    activities: { notify, ...stubs(() => scenarioOf()) },
  });
  const running = worker.run();
  let counter = 0;
  return {
    env,
    taskQueue,
    scenarioOf,
    alertsOf: (workflowId) => alerts.get(workflowId) ?? [],
    scenario(name, value) {
      const workflowId = `${name.replace(/[^A-Za-z0-9-]+/g, '-')}/${++counter}`;
      scenarios.set(workflowId, value);
      return workflowId;
    },
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

const quietLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: console.error,
  log: () => undefined,
};
