import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { sealingKeyOf, type CodecKey } from './codec-key';
import { deriveKey } from './derived-key-cache';

/**
 * Seals artifacts at rest (plans, batches, reports) under the configured payload keys, bound to
 * where they belong:
 * - the AES key is derived per tenant with HKDF from the configured key and the tenant's own random
 *   key material (kept in the store): destroying that material crypto-shreds the tenant's artifacts,
 *   and one tenant's derived key opens nothing of another;
 * - the AAD is the tenant id and the artifact key (which holds the run and the artifact name), so a
 *   sealed artifact copied under another key, run or tenant fails to open.
 * Layout: `LCA2 [key id length][key id][iv][ciphertext][tag]`.
 */
export interface ArtifactSealContext {
  tenantId: string;
  /** The artifact's full key, e.g. `elevo-user-sync/<tenant>/<workflow>/<run>/report`. */
  artifactKey: string;
  /** The tenant's random key material (32 bytes) from the store. */
  tenantKeyMaterial: Buffer;
}

export interface ArtifactCipher {
  seal(plain: Buffer, context: ArtifactSealContext): Buffer;
  open(sealed: Buffer, context: ArtifactSealContext): Buffer;
}

export const SEALED_ARTIFACT_MAGIC = Buffer.from('LCA2');
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class ArtifactSealError extends Error {
  override readonly name = 'ArtifactSealError';
}

export function isSealedArtifact(bytes: Buffer): boolean {
  return bytes.length > SEALED_ARTIFACT_MAGIC.length && bytes.subarray(0, SEALED_ARTIFACT_MAGIC.length).equals(SEALED_ARTIFACT_MAGIC);
}

export class TenantArtifactCipher implements ArtifactCipher {
  // ES private fields: never enumerated, so no logger prints a key.
  readonly #byId: Map<string, Buffer>;
  readonly #current: CodecKey;

  /** `keys` in rotation order, as for the payload codec: the last one not marked `seal: false` seals, all open. */
  constructor(keys: CodecKey[]) {
    const sealing = sealingKeyOf(keys);
    if (!sealing) throw new ArtifactSealError('at least one encryption key that seals is required');
    this.#byId = new Map(keys.map((k) => [k.id, k.key]));
    this.#current = sealing;
  }

  seal(plain: Buffer, context: ArtifactSealContext): Buffer {
    const id = Buffer.from(this.#current.id);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', tenantKey(this.#current.key, context), iv);
    cipher.setAAD(aad(this.#current.id, context));
    return Buffer.concat([
      SEALED_ARTIFACT_MAGIC,
      Buffer.from([id.length]),
      id,
      iv,
      cipher.update(plain),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
  }

  open(sealed: Buffer, context: ArtifactSealContext): Buffer {
    if (!isSealedArtifact(sealed)) throw new ArtifactSealError(`artifact ${context.artifactKey} is not sealed: refused`);
    const idStart = SEALED_ARTIFACT_MAGIC.length + 1;
    const keyId = sealed.subarray(idStart, idStart + (sealed[SEALED_ARTIFACT_MAGIC.length] ?? 0)).toString();
    const key = this.#byId.get(keyId);
    if (!key) throw new ArtifactSealError(`artifact ${context.artifactKey} is sealed with unknown encryption key "${keyId}"`);
    const body = sealed.subarray(idStart + Buffer.byteLength(keyId));
    if (body.length < IV_BYTES + TAG_BYTES) throw new ArtifactSealError(`artifact ${context.artifactKey} is truncated`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', tenantKey(key, context), body.subarray(0, IV_BYTES));
      decipher.setAAD(aad(keyId, context));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]);
    } catch {
      // Wrong tenant, wrong key, moved artifact or tampered bytes all look the same to GCM.
      throw new ArtifactSealError(
        `artifact ${context.artifactKey} does not authenticate (tampered, moved from another tenant, run or name, or its tenant key was shredded)`,
      );
    }
  }
}

function tenantKey(configured: Buffer, context: ArtifactSealContext): Buffer {
  if (context.tenantKeyMaterial.length < 16) throw new ArtifactSealError(`tenant key material for ${context.tenantId} is too short`);
  return deriveKey(configured, context.tenantKeyMaterial, `lucca-connectors/artifact/v2/${context.tenantId}`);
}

function aad(keyId: string, context: ArtifactSealContext): Buffer {
  return Buffer.from(['lucca-connectors/artifact/v2', keyId, context.tenantId, context.artifactKey].join('\u0000'));
}
