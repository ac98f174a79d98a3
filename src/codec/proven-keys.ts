import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';

/**
 * Which of its keys this process knows to be the right ones, so that a sealed payload that does not
 * open can be blamed on the payload (forged, altered: refused) rather than on this process's key
 * (wrong key file, wrong store: the task fails and is retried until an operator fixes it).
 *
 * A key is proven when this process opened, under it, a payload that **another** process sealed:
 * AES-GCM authentication succeeding means both sides hold the same key, and no one without the key
 * can produce such a payload. Payloads this process sealed prove nothing (a process with a wrong key
 * opens its own seals), so each codec instance writes a random sealer id *inside* the sealed bytes
 * (authenticated, so it cannot be relabelled). A tenant payload proves the configured key and the
 * tenant's key material both (its key is derived from the two).
 *
 * A check value carried by the payload (an HMAC of a label under the key) was weighed and not used:
 * an attacker chooses it, so a mismatching one would make every worker blame its own key again.
 */
export class ProvenKeys {
  readonly #sealerId = randomBytes(8).toString('hex');
  readonly #keyIds = new Set<string>();
  readonly #tenants = new Set<string>();

  /** The inner payload to seal, marked as sealed by this process. */
  tagged(payload: Payload): Payload {
    return { ...payload, metadata: { ...payload.metadata, [SEALER_METADATA]: Buffer.from(this.#sealerId) } };
  }

  /** Removes the sealer mark from an opened payload, remembering the key as proven if another process sealed it. */
  opened(inner: Payload, keyId: string, tenant: string | undefined): Payload {
    const mark = inner.metadata?.[SEALER_METADATA];
    if (!mark) return inner;
    delete inner.metadata![SEALER_METADATA];
    if (Buffer.from(mark).toString() !== this.#sealerId) {
      this.#keyIds.add(keyId);
      if (tenant) this.#tenants.add(tenant);
    }
    return inner;
  }

  /** Whether the key a payload names (configured key id, and tenant material if any) is known to be right. */
  covers(keyId: string, tenant: string | undefined): boolean {
    return this.#keyIds.has(keyId) && (!tenant || this.#tenants.has(tenant));
  }
}

/** Inside the sealed bytes only (stripped on opening): which codec instance sealed the payload. */
const SEALER_METADATA = 'lucca-sealer';
