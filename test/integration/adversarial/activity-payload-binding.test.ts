import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { AesGcmPayloadCodec } from '../../../src/codec/aes-gcm-payload-codec';
import { StrictDecodingCodec } from '../../../src/codec/strict-decoding-codec';
import { PayloadBindingActivityInterceptor } from '../../../src/activities/payload-binding-activity-interceptor';
import { tenantOfWorkflowId } from '../../../src/runtime/tenant-payload-keys';

/**
 * Activity inputs and results are bound like every payload (the SDK gives the activity's context the
 * id of the workflow that scheduled it): an input sealed for another workflow's activity decodes to a
 * refusal marker on the activity worker, and the activity fails non-retryably before it runs. Only a
 * worker-credential holder can hand an activity its input, so this is stubbed (no server): the
 * codec and the interceptor the worker uses, called as the worker calls them.
 */
describe('activity inputs sealed for another workflow are refused before the activity runs', () => {
  const codec = new AesGcmPayloadCodec([{ id: 'k', key: randomBytes(32) }]);
  const material = new Map([
    ['acme', randomBytes(32)],
    ['globex', randomBytes(32)],
  ]);
  codec.useTenantKeys({
    tenantOf: (id) => tenantOfWorkflowId(id, (t) => material.has(t)),
    material: async (t) => material.get(t),
    createsMaterial: false,
  });
  const worker = new StrictDecodingCodec(codec);
  const activityOf = (workflowId: string) => ({
    type: 'activity' as const,
    namespace: 'default',
    workflowId,
    activityId: '3',
    isLocal: false,
  });

  it.each([
    ['another workflow of the tenant', 'elevo-user-sync/acme/2026-11-21/manual-2'],
    ['a workflow of another tenant', 'elevo-user-sync/globex/2026-11-20/manual-1'],
  ])('refuses an input sealed for %s', async (_name, receiving) => {
    const sealed = await codec.encode(
      [defaultPayloadConverter.toPayload({ tenantId: 'acme', runKey: 'r' })],
      activityOf('elevo-user-sync/acme/2026-11-20/manual-1'),
    );
    const args = (await worker.decode(sealed, activityOf(receiving))).map((p) => defaultPayloadConverter.fromPayload(p));
    let ran = false;
    // In an activity's context, as the worker runs interceptors (the refusal is logged there).
    const run = new MockActivityEnvironment().run(() =>
      new PayloadBindingActivityInterceptor().execute({ args, headers: {} }, async () => (ran = true)),
    );
    await expect(run).rejects.toMatchObject({ type: 'PayloadBindingRefused', nonRetryable: true });
    expect(ran).toBe(false);
  });

  it('runs the activity with an input sealed for the workflow that scheduled it', async () => {
    const own = 'elevo-user-sync/acme/2026-11-20/manual-1';
    const sealed = await codec.encode([defaultPayloadConverter.toPayload({ tenantId: 'acme' })], activityOf(own));
    const args = (await worker.decode(sealed, activityOf(own))).map((p) => defaultPayloadConverter.fromPayload(p));
    await expect(new PayloadBindingActivityInterceptor().execute({ args, headers: {} }, async () => args[0])).resolves.toEqual({
      tenantId: 'acme',
    });
  });
});
