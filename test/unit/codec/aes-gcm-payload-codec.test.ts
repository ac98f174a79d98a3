import { randomBytes } from 'node:crypto';
import { DefaultPayloadConverter } from '@temporalio/common';
import {
  AesGcmPayloadCodec,
  CodecKeyError,
  ENCRYPTED_ENCODING,
  parseKeyMaterial,
  PayloadUnknownKeyError,
} from '../../../src/codec/aes-gcm-payload-codec';

const converter = new DefaultPayloadConverter();
const key = (id: string) => ({ id, key: randomBytes(32) });
const employee = { firstName: 'Éloïse', lastName: 'Lefèvre', mail: 'eloise.lefevre@acme.example.fr', birthDate: '1990-02-01' };

describe('AES-256-GCM payload codec', () => {
  it('seals a payload so nothing of it is readable, and opens it again', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const [sealed] = await codec.encode([converter.toPayload(employee)]);
    expect(Buffer.from(sealed!.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(sealed!.metadata!['encryption-key-id']!).toString()).toBe('k1');
    const raw = Buffer.from(sealed!.data!).toString('latin1');
    for (const value of Object.values(employee)) expect(raw).not.toContain(value);
    expect(raw).not.toContain('json/plain');
    const [opened] = await codec.decode([sealed!]);
    expect(converter.fromPayload(opened!)).toEqual(employee);
  });

  it('uses a fresh IV per payload', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const p = converter.toPayload('same');
    const [a, b] = await codec.encode([p, p]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('rotates: encrypts with the newest key and still decrypts with older ones', async () => {
    const old = key('2026-01');
    const newer = key('2026-11');
    const [sealedOld] = await new AesGcmPayloadCodec([old]).encode([converter.toPayload('before rotation')]);
    const rotated = new AesGcmPayloadCodec([old, newer]);
    expect(rotated.currentKeyId).toBe('2026-11');
    const [sealedNew] = await rotated.encode([converter.toPayload('after rotation')]);
    expect(Buffer.from(sealedNew!.metadata!['encryption-key-id']!).toString()).toBe('2026-11');
    const [a, b] = await rotated.decode([sealedOld!, sealedNew!]);
    expect([converter.fromPayload(a!), converter.fromPayload(b!)]).toEqual(['before rotation', 'after rotation']);
  });

  it('refuses a payload sealed with an unknown key, tampered data, or a relabelled key id', async () => {
    const k1 = key('k1');
    const k2 = key('k2');
    const [sealed] = await new AesGcmPayloadCodec([k1]).encode([converter.toPayload(employee)]);
    // Unknown key id: refused as forged (two-step rotation configures every key before it seals).
    await expect(new AesGcmPayloadCodec([k2]).decode([sealed!])).rejects.toThrow(PayloadUnknownKeyError);
    const tampered = { ...sealed!, data: Buffer.from(sealed!.data!) };
    tampered.data[20] = tampered.data[20]! ^ 1;
    await expect(new AesGcmPayloadCodec([k1]).decode([tampered])).rejects.toThrow(/payload sealed with encryption key "k1" does not open/);
    await expect(new AesGcmPayloadCodec([k1]).decode([tampered])).rejects.toBeInstanceOf(CodecKeyError); // permanent: never retried
    const relabelled = { ...sealed!, metadata: { ...sealed!.metadata, 'encryption-key-id': Buffer.from('k2') } };
    await expect(new AesGcmPayloadCodec([{ id: 'k2', key: k1.key }]).decode([relabelled])).rejects.toThrow();
  });

  it('leaves unencrypted payloads alone on decode (history written before encryption was on)', async () => {
    const plain = converter.toPayload('legacy');
    const [out] = await new AesGcmPayloadCodec([key('k1')]).decode([plain]);
    expect(converter.fromPayload(out!)).toBe('legacy');
  });

  it('validates key material', () => {
    expect(parseKeyMaterial('a', randomBytes(32).toString('base64')).key).toHaveLength(32);
    expect(parseKeyMaterial('b', randomBytes(32).toString('hex')).key).toHaveLength(32);
    expect(() => parseKeyMaterial('c', randomBytes(16).toString('base64'))).toThrow('encryption key "c" must be 32 bytes');
    expect(() => new AesGcmPayloadCodec([])).toThrow(CodecKeyError);
    expect(() => new AesGcmPayloadCodec([key('x'), key('x')])).toThrow('unique');
  });
});
