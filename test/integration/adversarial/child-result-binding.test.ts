import { randomBytes, randomUUID } from 'node:crypto';
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { AesGcmPayloadCodec } from '../../../src/codec/aes-gcm-payload-codec';
import { createDataConverter, FAILURE_CONVERTER_PATH, PAYLOAD_CONVERTER_PATH } from '../../../src/codec/data-converter';
import { StrictDecodingCodec } from '../../../src/codec/strict-decoding-codec';
import { REFUSED_MARKER_KEY } from '../../../src/codec/refused-payload-marker';
import { startTemporalTestEnv } from '../../support/temporal-test-env';
import { waitFor } from '../../support/wait-for';
import { goSignal, parentIgnoringChildResult, parentUsingChildResult } from './fixtures/child-result-workflows';

/**
 * A child workflow's result is bound like every payload (decoded in the child's context): one
 * sealed for another workflow — here by a hostile worker holding the key and polling the child's
 * task queue (docs/threat-model.md, "worker credentials") — decodes to a refusal marker in the
 * parent. The binding interceptor fails the child call; without it the parent took the marker for
 * the child's result.
 */
const KEY = { id: 'child-k1', key: randomBytes(32) };

/** Seals everything for another workflow than the one it belongs to. */
class SealsForAnotherWorkflow implements PayloadCodec {
  constructor(private readonly inner: AesGcmPayloadCodec) {}
  encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return this.inner.encode(payloads, context ? { ...context, workflowId: 'some/other-workflow' } : context);
  }
  decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return this.inner.decode(payloads, context);
  }
}

describe('a child workflow result sealed for another workflow', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  const workers: { shutdown(): void; running: Promise<void> }[] = [];
  const parentQueue = `child-parent-${randomUUID().slice(0, 8)}`;
  const childQueue = `child-hostile-${randomUUID().slice(0, 8)}`;

  async function runWorker(taskQueue: string, dataConverter: Parameters<typeof Worker.create>[0]['dataConverter']) {
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, dataConverter });
    workers.push({ shutdown: () => worker.shutdown(), running: worker.run() });
  }

  beforeAll(async () => {
    const converter = createDataConverter(new AesGcmPayloadCodec([KEY]));
    env = await startTemporalTestEnv({ dataConverter: converter });
    bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('./fixtures/child-result-workflows'),
      workflowInterceptorModules: [require.resolve('../../../src/workflows/payload-binding-interceptor')],
      payloadConverterPath: PAYLOAD_CONVERTER_PATH,
      failureConverterPath: FAILURE_CONVERTER_PATH,
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    await runWorker(parentQueue, converter);
    await runWorker(childQueue, {
      payloadCodecs: [new StrictDecodingCodec(new SealsForAnotherWorkflow(new AesGcmPayloadCodec([KEY])))],
      payloadConverterPath: PAYLOAD_CONVERTER_PATH,
      failureConverterPath: FAILURE_CONVERTER_PATH,
    });
  });
  afterAll(async () => {
    for (const w of workers) w.shutdown();
    await Promise.all(workers.map((w) => w.running));
    await env?.teardown();
  });

  it('fails the child call in the parent instead of handing it the refusal marker as a result', async () => {
    const run = env.client.workflow.execute(parentUsingChildResult, {
      taskQueue: parentQueue,
      workflowId: `parent-${randomUUID()}`,
      args: [childQueue],
    });
    const outcome = await run.then(
      (result) => ({ result }),
      (error: Error & { cause?: Error }) => ({ error: error.cause?.message ?? error.message }),
    );
    expect(outcome).not.toHaveProperty(['result', REFUSED_MARKER_KEY]);
    expect(outcome).toEqual({
      error: expect.stringMatching(/result of child workflow childReturningValue refused: its payload was sealed for another workflow/),
    });
  });

  it('leaves alone a child whose result the parent never asks for (its failure is no unhandled rejection)', async () => {
    const parent = await env.client.workflow.start(parentIgnoringChildResult, {
      taskQueue: parentQueue,
      workflowId: `ignoring-${randomUUID()}`,
    });
    const child = env.client.workflow.getHandle(`${parent.workflowId}/child`);
    await waitFor('the child failed', async () =>
      (await child.describe().catch(() => undefined))?.status.name === 'FAILED' ? true : undefined,
    );
    await parent.signal(goSignal);
    const end = await waitFor('the parent to end or fail a task', async () => {
      const events = (await parent.fetchHistory()).events ?? [];
      if (events.some((e) => e.workflowTaskFailedEventAttributes)) return 'task failed';
      if (events.some((e) => e.workflowExecutionCompletedEventAttributes)) return 'completed';
      return undefined;
    });
    expect(end).toBe('completed');
    await expect(parent.result()).resolves.toBe('done');
  });
});
