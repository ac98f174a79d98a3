import { randomBytes } from 'node:crypto';
import { DefaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, CodecKeyError, PayloadBindingError, PayloadUnknownKeyError } from '../../../src/codec/aes-gcm-payload-codec';
import { TenantArtifactCipher } from '../../../src/codec/artifact-cipher';
import { codecFromConfig } from '../../../src/codec/data-converter';
import { refusalOf } from '../../../src/codec/refused-payload-marker';
import { StrictDecodingCodec } from '../../../src/codec/strict-decoding-codec';
import { ConfigError, parseConfigText } from '../../../src/config/load-config';

/**
 * Two-step rotation: a new key is first configured everywhere with `seal: false` (it opens, it does
 * not seal), then made the sealing key. So every key id one of our processes seals with is known to
 * all of them, and a payload naming an unconfigured id is refused as forged instead of retried.
 */
const converter = new DefaultPayloadConverter();
const context = { type: 'workflow' as const, namespace: 'default', workflowId: 'order-1' };
const tenantCtx = { ...context, workflowId: 't/order-2' };
const keyIdOf = (p: { metadata?: Record<string, Uint8Array> | null }) => Buffer.from(p.metadata!['encryption-key-id']!).toString();
const base = 'tenants: [{ id: a, lucca: { baseUrl: "https://a.ilucca.net", apiKey: "env:K" } }]';
const configWith = (keys: string) => parseConfigText(`encryption: { keys: ${keys} }\n${base}`, 'x.yaml').config;

describe('key rotation', () => {
  const old = randomBytes(32);
  const next = randomBytes(32);
  const secrets: Record<string, string> = { 'env:OLD': old.toString('base64'), 'env:NEXT': next.toString('base64') };
  const resolve = (ref: string) => secrets[ref]!;

  it('config: a `seal: false` key decrypts but does not seal; the last key without it seals', async () => {
    const step1 = codecFromConfig(configWith('[{ id: old, key: "env:OLD" }, { id: next, key: "env:NEXT", seal: false }]'), resolve);
    const step2 = codecFromConfig(configWith('[{ id: old, key: "env:OLD" }, { id: next, key: "env:NEXT" }]'), resolve);
    const [fromStep1] = await step1.encode([converter.toPayload('step 1')], context);
    expect(keyIdOf(fromStep1!)).toBe('old');
    const [fromStep2] = await step2.encode([converter.toPayload('step 2')], context);
    expect(keyIdOf(fromStep2!)).toBe('next');
    // A process still at step 1 opens what a restarted (step 2) process sealed, and the reverse.
    expect(converter.fromPayload((await step1.decode([fromStep2!], context))[0]!)).toBe('step 2');
    expect(converter.fromPayload((await step2.decode([fromStep1!], context))[0]!)).toBe('step 1');
  });

  it('config: at least one key must seal; `seal` defaults to true', () => {
    expect(() => configWith('[{ id: old, key: "env:OLD", seal: false }]')).toThrow(ConfigError);
    expect(() => configWith('[{ id: old, key: "env:OLD", seal: false }]')).toThrow(/at least one encryption key must seal/);
    expect(configWith('[{ id: old, key: "env:OLD" }]').encryption.keys[0]!.seal).toBe(true);
    expect(() => new AesGcmPayloadCodec([{ id: 'k', key: old, seal: false }])).toThrow(CodecKeyError);
  });

  it('artifacts: sealed under the sealing key, opened under a `seal: false` one', () => {
    const artifact = { tenantId: 'a', artifactKey: 'x/a/w/r/report', tenantKeyMaterial: randomBytes(32) };
    const step1 = new TenantArtifactCipher([
      { id: 'old', key: old },
      { id: 'next', key: next, seal: false },
    ]);
    const step2 = new TenantArtifactCipher([
      { id: 'old', key: old },
      { id: 'next', key: next },
    ]);
    const sealed1 = step1.seal(Buffer.from('one'), artifact);
    expect(sealed1.subarray(5, 5 + sealed1[4]!).toString()).toBe('old');
    expect(step1.open(step2.seal(Buffer.from('two'), artifact), artifact).toString()).toBe('two');
  });

  it('a payload naming an unconfigured key id is refused (unknown-key), never handed back as a retryable key error', async () => {
    const [foreign] = await new AesGcmPayloadCodec([{ id: 'elsewhere', key: randomBytes(32) }]).encode([converter.toPayload('x')], context);
    const worker = new AesGcmPayloadCodec([{ id: 'old', key: old }]);
    await expect(worker.decode([foreign!], context)).rejects.toThrow(PayloadUnknownKeyError);
    const [marker] = await new StrictDecodingCodec(worker).decode([foreign!], context);
    expect(refusalOf(converter.fromPayload(marker!))).toBe('unknown-key');
  });

  it('a configured key whose tenant material is missing stays a key error (retried), not a refusal', async () => {
    const tenantKeys = (material: Buffer | undefined) => ({
      tenantOf: (id: string) => (id.startsWith('t/') ? 'acme' : undefined),
      material: async () => material,
      createsMaterial: false,
    });
    const sender = new AesGcmPayloadCodec([{ id: 'old', key: old }]);
    sender.useTenantKeys(tenantKeys(randomBytes(32)));
    const [tenantSealed] = await sender.encode([converter.toPayload('tenant')], tenantCtx);
    const worker = new AesGcmPayloadCodec([{ id: 'old', key: old }]);
    worker.useTenantKeys(tenantKeys(undefined)); // another store, or not yet written
    await expect(worker.decode([tenantSealed!], tenantCtx)).rejects.toThrow(/key material is not in this store/);
    await expect(worker.decode([tenantSealed!], tenantCtx)).rejects.not.toThrow(PayloadBindingError);
    await expect(new StrictDecodingCodec(worker).decode([tenantSealed!], tenantCtx)).rejects.toThrow(CodecKeyError);
  });
});
