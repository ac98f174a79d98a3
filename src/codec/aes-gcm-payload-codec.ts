import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { PermanentError } from '../shared/permanent-error';
import { TenantArtifactCipher, type ArtifactCipher } from './artifact-cipher';
import { sealingKeyOf, type CodecKey } from './codec-key';
import { deriveKey } from './derived-key-cache';
import { ProvenKeys } from './proven-keys';
import { LEGACY_UNBOUND_METADATA, type PayloadRefusal } from './refused-payload-marker';

/**
 * AES-256-GCM payload codec: every payload (workflow inputs and results, activity inputs and
 * results, signals, queries, failures' encoded attributes) is serialised and sealed before it reaches
 * the Temporal server, so employee data never sits in plain text in history. The key id travels in
 * the payload metadata; several keys can be active at once for rotation: new payloads use the
 * sealing key (the newest not marked `seal: false`), old ones decode with whichever key sealed them.
 * A key id this process has not configured is refused (PayloadUnknownKeyError), not retried:
 * rotation is two-step (a new key is known everywhere before anything seals with it), so such a
 * payload was never sealed by one of our processes.
 *
 * Per tenant: when the payload belongs to a tenant's workflow (the SDK passes the workflow id as the
 * serialization context; ids are `<connector>/<tenant>/…`), it is sealed with a key derived by HKDF
 * from the configured key and the tenant's key material in the artifact store, and the tenant id
 * travels in the metadata (authenticated) so decoding needs no context — the codec server gets
 * none. Shredding the tenant's key material makes its history unreadable, and no one else's.
 *
 * Bound to its workflow (format 2): the workflow id of the serialization context (the workflow that
 * owns the payload, or that scheduled the activity) travels in the metadata and in the AAD. Decoding
 * with a context checks it: a payload sealed for another workflow (or tenant) throws
 * PayloadBindingError, which the strict codec turns into a refusal marker. Without a context (the
 * codec server) the payload decodes under the binding it carries, which the caller authorises.
 * Format 1 payloads (no binding; recorded histories, runs older than the upgrade) still decode.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID_METADATA = 'encryption-key-id';
const TENANT_METADATA = 'encryption-tenant';
/** Format 2 (absent: format 1, sealed before payloads were bound to their workflow). */
const FORMAT_METADATA = 'encryption-format';
/** The workflow a format-2 payload was sealed for (absent: sealed without a workflow context). */
export const WORKFLOW_METADATA = 'encryption-workflow';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type { CodecKey } from './codec-key';

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
  readonly #proven = new ProvenKeys();

  /** `keys` in rotation order: the last one not marked `seal: false` encrypts, all decrypt. */
  constructor(keys: CodecKey[]) {
    const sealing = sealingKeyOf(keys);
    if (!sealing) throw new CodecKeyError('at least one encryption key that seals (not `seal: false`) is required');
    for (const k of keys)
      if (k.key.length !== 32) throw new CodecKeyError(`encryption key "${k.id}" must be 32 bytes (AES-256), got ${k.key.length}`);
    this.#byId = new Map(keys.map((k) => [k.id, k.key]));
    if (this.#byId.size !== keys.length) throw new CodecKeyError('encryption key ids must be unique');
    this.#current = sealing;
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
    const workflowId = context?.workflowId || undefined;
    const { tenant, key } = await this.sealingKey(workflowId);
    const binding: SealBinding = { keyId: this.#current.id, tenant, workflowId };
    return payloads.map((payload) => ({
      metadata: metadataOf(binding),
      data: this.seal(Buffer.from(temporal.api.common.v1.Payload.encode(this.#proven.tagged(payload)).finish()), key, aadV2(binding)),
    }));
  }

  async decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const decoded: Payload[] = [];
    for (const payload of payloads) decoded.push(isEncrypted(payload) ? await this.decodeOne(payload, context) : payload);
    return decoded;
  }

  /** Where a sealed payload says it belongs, read from its metadata without opening it (the codec server authorises with it). */
  static bindingOf(payload: Payload): { tenant?: string; workflowId?: string; format: 1 | 2 } | undefined {
    if (!isEncrypted(payload)) return undefined;
    const { tenant, workflowId, format } = readBinding(payload);
    return { format, ...(tenant ? { tenant } : {}), ...(workflowId ? { workflowId } : {}) };
  }

  /** The tenant a workflow id names (configured tenants only). */
  tenantOfWorkflow(workflowId: string): string | undefined {
    return this.#tenantKeys?.tenantOf(workflowId);
  }

  private async sealingKey(workflowId: string | undefined): Promise<{ tenant?: string; key: Buffer }> {
    const candidate = workflowId ? this.#tenantKeys?.tenantOf(workflowId) : undefined;
    const material = candidate ? await this.#tenantKeys!.material(candidate, this.#tenantKeys!.createsMaterial) : undefined;
    return candidate && material
      ? { tenant: candidate, key: deriveTenantKey(this.#current.key, material, candidate) }
      : { key: this.#current.key };
  }

  private async decodeOne(payload: Payload, context: SerializationContext | undefined): Promise<Payload> {
    const binding = readBinding(payload);
    const configured = this.#byId.get(binding.keyId);
    // Every key id our processes seal with is configured here first (two-step rotation): an unknown id is forged.
    if (!configured) throw new PayloadUnknownKeyError();
    const expected = context?.workflowId ? context.workflowId : undefined;
    if (expected) this.checkBinding(binding, expected);
    const key = binding.tenant ? await this.tenantKey(configured, binding.tenant) : configured;
    const plain = this.openOrExplain(key, binding, Buffer.from(payload.data ?? []));
    const inner = this.#proven.opened(temporal.api.common.v1.Payload.decode(plain), binding.keyId, binding.tenant);
    // An old-format payload in a workflow's own context: accepted only while replaying (see refused-payload-marker.ts).
    if (binding.format === 1 && expected && context?.type === 'workflow')
      inner.metadata = { ...inner.metadata, [LEGACY_UNBOUND_METADATA]: Buffer.from('1') };
    return inner;
  }

  /** A payload sealed for another workflow, or for another tenant than the receiving workflow's, is refused. */
  private checkBinding(binding: SealBinding & { format: 1 | 2 }, workflowId: string): void {
    // Format 1 names no workflow: the interceptor accepts its values only while replaying old history.
    if (binding.format === 1) return;
    if (binding.tenant && binding.tenant !== this.#tenantKeys?.tenantOf(workflowId)) throw new PayloadBindingError('other-tenant');
    if (!binding.workflowId) throw new PayloadBindingError('unbound');
    if (!bindingCovers(binding.workflowId, workflowId)) throw new PayloadBindingError('other-workflow');
  }

  private openOrExplain(key: Buffer, binding: SealBinding & { format: 1 | 2 }, data: Buffer): Buffer {
    try {
      return this.open(key, binding.format === 2 ? aadV2(binding) : aadV1(binding.keyId, binding.tenant), data);
    } catch (err) {
      // Under a key this process has seen open another process's payloads, only a forged or altered payload fails.
      if (this.#proven.covers(binding.keyId, binding.tenant)) throw new PayloadTamperedError();
      if (err instanceof CodecKeyError) throw err;
      // GCM says only "unable to authenticate data": say which key and where to look.
      throw new CodecKeyError(
        binding.tenant
          ? `payload sealed for tenant "${binding.tenant}" does not open with this store's key material for it: is this process using the workers' store (storage, LUCCA_CONNECTORS_DATA_DIR)?`
          : `payload sealed with encryption key "${binding.keyId}" does not open: the key under that id differs from the one that sealed it (or its metadata was altered)`,
      );
    }
  }

  /** Artifacts at rest (plans, batches, reports) under the same keys, bound to tenant, run and name. */
  readonly artifactCipher: ArtifactCipher;

  private async tenantKey(configured: Buffer, tenant: string): Promise<Buffer> {
    const material = this.#tenantKeys ? await this.#tenantKeys.material(tenant, false) : undefined;
    if (!material)
      throw new CodecKeyError(
        `payload sealed for tenant "${tenant}", whose key material is not in this store (shredded, or another store)`,
      );
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

interface SealBinding {
  keyId: string;
  tenant?: string | undefined;
  workflowId?: string | undefined;
}

/** A payload's binding could not be honoured: sealed for another workflow or tenant, or for none. */
export class PayloadBindingError extends CodecKeyError {
  constructor(readonly refusal: Exclude<PayloadRefusal, 'operator-proof-invalid'>) {
    super(`payload refused: ${BINDING_REFUSALS[refusal]}`);
  }
}

const BINDING_REFUSALS: Record<Exclude<PayloadRefusal, 'operator-proof-invalid'>, string> = {
  unbound: 'sealed without a workflow',
  'other-tenant': 'sealed for another tenant',
  'other-workflow': 'sealed for another workflow',
  tampered: 'it does not open under a key this process has verified (forged or altered)',
  'unknown-key': 'it names an encryption key id this process has not configured (forged, or this config misses a key: see key rotation)',
};

/**
 * A payload that does not open under a key this process knows to be right (see proven-keys.ts):
 * forged or altered, refused like a payload sealed for another workflow — not a key problem to retry.
 */
export class PayloadTamperedError extends PayloadBindingError {
  constructor() {
    super('tampered');
  }
}

/**
 * A payload naming a key id that is not configured here. Rotation configures a key everywhere (with
 * `seal: false`) before any process seals with it, so no process of ours produced it: refused, not
 * retried. The id is attacker-chosen and not logged. Missing tenant key material stays a key error.
 */
export class PayloadUnknownKeyError extends PayloadBindingError {
  constructor() {
    super('unknown-key');
  }
}

/**
 * A Schedule starts `<id>-<scheduled time>` with the arguments it sealed for `<id>`: those are the
 * only ids a binding covers besides its own.
 */
export function bindingCovers(bound: string, workflowId: string): boolean {
  return bound === workflowId || (workflowId.startsWith(`${bound}-`) && SCHEDULED_SUFFIX.test(workflowId.slice(bound.length)));
}
const SCHEDULED_SUFFIX = /^-\d{4}-\d{2}-\d{2}T[0-9:.]+Z$/;

function isEncrypted(payload: Payload): boolean {
  return Buffer.from(payload.metadata?.encoding ?? []).toString() === ENCRYPTED_ENCODING;
}

function readBinding(payload: Payload): SealBinding & { format: 1 | 2 } {
  const text = (key: string) => (payload.metadata?.[key] ? Buffer.from(payload.metadata[key]).toString() : undefined);
  const format = text(FORMAT_METADATA) === '2' ? 2 : 1;
  return {
    format,
    keyId: text(KEY_ID_METADATA) ?? '',
    tenant: text(TENANT_METADATA),
    workflowId: format === 2 ? text(WORKFLOW_METADATA) : undefined,
  };
}

function metadataOf(binding: SealBinding): Record<string, Uint8Array> {
  return {
    encoding: Buffer.from(ENCRYPTED_ENCODING),
    [KEY_ID_METADATA]: Buffer.from(binding.keyId),
    [FORMAT_METADATA]: Buffer.from('2'),
    ...(binding.tenant ? { [TENANT_METADATA]: Buffer.from(binding.tenant) } : {}),
    ...(binding.workflowId ? { [WORKFLOW_METADATA]: Buffer.from(binding.workflowId) } : {}),
  };
}

/** Format 2: key id, tenant and workflow are authenticated; none can be relabelled. */
function aadV2(binding: SealBinding): Buffer {
  return Buffer.from(['lc-payload-v2', binding.keyId, binding.tenant ?? '', binding.workflowId ?? ''].join('\u0000'));
}

function aadV1(keyId: string, tenant: string | undefined): Buffer {
  return Buffer.from(tenant ? `${keyId}\u0000${tenant}` : keyId);
}
