import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { PermanentError } from '../shared/permanent-error';
import { TenantArtifactCipher, type ArtifactCipher } from './artifact-cipher';

/**
 * AES-256-GCM payload codec: every payload (workflow inputs and results, activity inputs and
 * results, signals, queries, failures' encoded attributes) is serialised and sealed before it reaches
 * the Temporal server, so employee data never sits in plain text in history. The key id travels in
 * the payload metadata; several keys can be active at once for rotation: new payloads use the
 * newest key, old ones decode with whichever key sealed them.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface CodecKey {
  id: string;
  /** 32 raw bytes. */
  key: Buffer;
}

/** A payload or artifact sealed with a key we no longer have will not open on a retry either. */
export class CodecKeyError extends PermanentError {}

export class AesGcmPayloadCodec implements PayloadCodec {
  // ES private fields: never enumerated, so no logger or JSON.stringify of the options ever prints a key.
  readonly #byId: Map<string, Buffer>;
  readonly #current: CodecKey;

  /** `keys` in rotation order: the last one encrypts, all decrypt. */
  constructor(keys: CodecKey[]) {
    if (keys.length === 0) throw new CodecKeyError('at least one encryption key is required');
    for (const k of keys) if (k.key.length !== 32) throw new CodecKeyError(`encryption key "${k.id}" must be 32 bytes (AES-256), got ${k.key.length}`);
    this.#byId = new Map(keys.map((k) => [k.id, k.key]));
    if (this.#byId.size !== keys.length) throw new CodecKeyError('encryption key ids must be unique');
    this.#current = keys[keys.length - 1]!;
    this.artifactCipher = new TenantArtifactCipher(keys);
  }

  get currentKeyId(): string {
    return this.#current.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => ({
      metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(this.#current.id) },
      data: this.seal(Buffer.from(temporal.api.common.v1.Payload.encode(payload).finish())),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== ENCRYPTED_ENCODING) return payload;
      const keyId = Buffer.from(payload.metadata?.[KEY_ID_METADATA] ?? []).toString();
      return temporal.api.common.v1.Payload.decode(this.open(keyId, Buffer.from(payload.data ?? [])));
    });
  }

  /** Artifacts at rest (plans, batches, reports) under the same keys, bound to tenant, run and name. */
  readonly artifactCipher: ArtifactCipher;

  private seal(plain: Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv);
    // The key id is authenticated too: sealed data cannot be relabelled to another key.
    cipher.setAAD(Buffer.from(this.#current.id));
    return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  }

  private open(keyId: string, data: Buffer): Buffer {
    const key = this.#byId.get(keyId);
    if (!key) throw new CodecKeyError(`payload sealed with unknown encryption key "${keyId}"`);
    if (data.length < IV_BYTES + TAG_BYTES) throw new CodecKeyError('encrypted payload is truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
  }
}

/** Keys are configured as base64 (44 chars) or hex (64 chars) strings behind secret references. */
export function parseKeyMaterial(id: string, text: string): CodecKey {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new CodecKeyError(`encryption key "${id}" must be 32 bytes, as 64 hex characters or base64`);
  return { id, key };
}
