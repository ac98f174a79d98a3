import { randomBytes } from 'node:crypto';
import { DefaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmPayloadCodec, CodecKeyError, PayloadTamperedError } from '../../../src/codec/aes-gcm-payload-codec';
import { StrictDecodingCodec } from '../../../src/codec/strict-decoding-codec';
import { refusalOf } from '../../../src/codec/refused-payload-marker';

/**
 * A payload that claims our encoding and a configured key id but does not open: refused as forged
 * only under a key this process has seen open another process's payload; otherwise (wrong key file,
 * wrong store) it stays a key error, so the task is retried until the right key is deployed.
 */
const converter = new DefaultPayloadConverter();
const context = { type: 'workflow' as const, namespace: 'default', workflowId: 'order-1' };
const tenantKeys = (material: Buffer) => ({
  tenantOf: (id: string) => (id.startsWith('t/') ? 'acme' : undefined),
  material: async () => material,
  createsMaterial: false,
});

function garbageLike(genuine: Payload): Payload {
  const data = Buffer.from(genuine.data!);
  data.writeUInt8(data.readUInt8(data.length - 1) ^ 0xff, data.length - 1); // the GCM tag no longer matches
  return { metadata: genuine.metadata, data };
}

describe('payloads that do not open', () => {
  const rightKey = { id: 'k1', key: randomBytes(32) };

  it('are refused as tampered once another process sealed a payload that opened under the same key', async () => {
    const sender = new AesGcmPayloadCodec([rightKey]);
    const worker = new AesGcmPayloadCodec([rightKey]);
    const [genuine] = await sender.encode([converter.toPayload({ ok: 1 })], context);
    const forged = garbageLike(genuine!);
    await expect(worker.decode([forged], context)).rejects.toThrow(CodecKeyError); // nothing proven yet
    await expect(worker.decode([forged], context)).rejects.not.toThrow(PayloadTamperedError);
    expect(converter.fromPayload((await worker.decode([genuine!], context))[0]!)).toEqual({ ok: 1 });
    await expect(worker.decode([forged], context)).rejects.toThrow(PayloadTamperedError);
    const [marker] = await new StrictDecodingCodec(worker).decode([forged], context);
    expect(refusalOf(converter.fromPayload(marker!))).toBe('tampered');
  });

  it('prove nothing when this process sealed them itself (a wrong key opens its own seals)', async () => {
    const wrongWorker = new AesGcmPayloadCodec([{ id: 'k1', key: randomBytes(32) }]);
    const [own] = await wrongWorker.encode([converter.toPayload('mine')], context);
    await wrongWorker.decode([own!], context);
    const [fromClient] = await new AesGcmPayloadCodec([rightKey]).encode([converter.toPayload('legit')], context);
    const attempt = wrongWorker.decode([fromClient!], context);
    await expect(attempt).rejects.toThrow(CodecKeyError);
    await expect(wrongWorker.decode([fromClient!], context)).rejects.not.toThrow(PayloadTamperedError);
  });

  it('stay a key error under tenant material that was never proven, even with the configured key proven', async () => {
    const tenantCtx = { ...context, workflowId: 't/order-2' };
    const sender = new AesGcmPayloadCodec([rightKey]);
    sender.useTenantKeys(tenantKeys(randomBytes(32)));
    const worker = new AesGcmPayloadCodec([rightKey]);
    worker.useTenantKeys(tenantKeys(randomBytes(32))); // another store: other material for the tenant
    const [shared] = await sender.encode([converter.toPayload('shared key')], context);
    await worker.decode([shared!], context); // the configured key is proven...
    const [tenantSealed] = await sender.encode([converter.toPayload('tenant key')], tenantCtx);
    await expect(worker.decode([tenantSealed!], tenantCtx)).rejects.toThrow(/key material/); // ...not the tenant's material
  });

  it('leave nothing of the sealer mark in what decodes', async () => {
    const [sealed] = await new AesGcmPayloadCodec([rightKey]).encode([converter.toPayload('x')], context);
    const [opened] = await new AesGcmPayloadCodec([rightKey]).decode([sealed!], context);
    expect(Object.keys(opened!.metadata!)).toEqual(['encoding']);
  });
});
