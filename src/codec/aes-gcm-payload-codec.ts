import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { PermanentError } from '../shared/permanent-error';
import { TenantArtifactCipher, type ArtifactCipher } from './artifact-cipher';
import { deriveKey } from './derived-key-cache';

/**
 * AES-256-GCM payload codec: every payload (workflow inputs and results, activity inputs and
 * results, signals, queries, failures' encoded attributes) is serialised and sealed before it reaches
 * the Temporal server, so employee data never sits in plain text in history. The key id travels in
 * the payload metadata; several keys can be active at once for rotation: new payloads use the
 * newest key, old ones decode with whichever key sealed them.
 *
 * Per tenant: when the payload belongs to a tenant's workflow (the SDK passes the workflow id as the
 * serialization context; ids are `<connector>/<tenant>/…`), it is sealed with a key derived by HKDF
 * from the configured key and the tenant's key material in the artifact store, and the tenant id
 * travels in the metadata (authenticated) so decoding needs no context — the codec server gets
 * none. Shredding the tenant's key material makes its history unreadable, and no one else's.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID_METADATA = 'encryption-key-id';
const TENANT_METADATA = 'encryption-tenant';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface CodecKey {
  id: string;
  /** 32 raw bytes. */
  key: Buffer;
}

/** A payload or artifact sealed with a key we no longer have will not open on a retry either. */
export class CodecKeyError extends PermanentError {}

/** Where per-tenant payload keys come from (the composition root wires the artifact store in). */
export interface TenantPayloadKeys {
  /** The configured tenant a workflow id belongs to, if any. */
  tenantOf(workflowId: string): string | undefined;
  /** The tenant's random key material (created on first use when `create`). */
  material(tenantId: string, create: boolean): Promise<Buffer | undefined>;
  /**
   * Whether this process creates a tenant's material on first use (workers). Other processes seal
   * with the tenant key only once it exists, else with the shared key: a CLI pointed at the wrong
   * store must not seal workflow inputs with a key the workers cannot find.
   */
  createsMaterial: boolean;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  // ES private fields: never enumerated, so no logger or JSON.stringify of the options ever prints a key.
  readonly #byId: Map<string, Buffer>;
  readonly #current: CodecKey;
  #tenantKeys: TenantPayloadKeys | undefined;

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

  /** Seal tenants' payloads with their own keys from now on (set once the store exists). */
  useTenantKeys(source: TenantPayloadKeys): void {
    this.#tenantKeys = source;
  }

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const candidate = context?.workflowId ? this.#tenantKeys?.tenantOf(context.workflowId) : undefined;
    const material = candidate ? await this.#tenantKeys!.material(candidate, this.#tenantKeys!.createsMaterial) : undefined;
    const tenant = material ? candidate : undefined;
    const key = tenant && material ? deriveTenantKey(this.#current.key, material, tenant) : this.#current.key;
    return payloads.map((payload) => ({
      metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(this.#current.id), ...(tenant ? { [TENANT_METADATA]: Buffer.from(tenant) } : {}) },
      data: this.seal(Buffer.from(temporal.api.common.v1.Payload.encode(payload).finish()), key, aadOf(this.#current.id, tenant)),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    const decoded: Payload[] = [];
    for (const payload of payloads) {
      if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== ENCRYPTED_ENCODING) {
        decoded.push(payload);
        continue;
      }
      const keyId = Buffer.from(payload.metadata?.[KEY_ID_METADATA] ?? []).toString();
      const tenant = payload.metadata?.[TENANT_METADATA] ? Buffer.from(payload.metadata[TENANT_METADATA]).toString() : undefined;
      const configured = this.#byId.get(keyId);
      if (!configured) throw new CodecKeyError(`payload sealed with unknown encryption key "${keyId}"`);
      const key = tenant ? await this.tenantKey(configured, tenant) : configured;
      let plain: Buffer;
      try {
        plain = this.open(key, aadOf(keyId, tenant), Buffer.from(payload.data ?? []));
      } catch (err) {
        if (err instanceof CodecKeyError) throw err;
        // GCM says only "unable to authenticate data": say which key and where to look.
        throw new CodecKeyError(
          tenant
            ? `payload sealed for tenant "${tenant}" does not open with this store's key material for it: is this process using the workers' store (storage, LUCCA_CONNECTORS_DATA_DIR)?`
            : `payload sealed with encryption key "${keyId}" does not open: the key under that id differs from the one that sealed it`,
        );
      }
      decoded.push(temporal.api.common.v1.Payload.decode(plain));
    }
    return decoded;
  }

  /** Artifacts at rest (plans, batches, reports) under the same keys, bound to tenant, run and name. */
  readonly artifactCipher: ArtifactCipher;

  private async tenantKey(configured: Buffer, tenant: string): Promise<Buffer> {
    const material = this.#tenantKeys ? await this.#tenantKeys.material(tenant, false) : undefined;
    if (!material) throw new CodecKeyError(`payload sealed for tenant "${tenant}", whose key material is not in this store (shredded, or another store)`);
    return deriveTenantKey(configured, material, tenant);
  }

  private seal(plain: Buffer, key: Buffer, aad: Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    // The key id (and tenant) are authenticated too: sealed data cannot be relabelled to another key.
    cipher.setAAD(aad);
    return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  }

  private open(key: Buffer, aad: Buffer, data: Buffer): Buffer {
    if (data.length < IV_BYTES + TAG_BYTES) throw new CodecKeyError('encrypted payload is truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAAD(aad);
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

function deriveTenantKey(configured: Buffer, material: Buffer, tenant: string): Buffer {
  return deriveKey(configured, material, `lucca-connectors/payload/v1/${tenant}`);
}

function aadOf(keyId: string, tenant: string | undefined): Buffer {
  return Buffer.from(tenant ? `${keyId}\u0000${tenant}` : keyId);
}
