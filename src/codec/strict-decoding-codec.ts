import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { ENCRYPTED_ENCODING } from './aes-gcm-payload-codec';
import { UNSEALED_MARKER_KEY } from './unsealed-input-marker';

export interface StrictDecodingOptions {
  /**
   * Let unencrypted payloads through as they are (a migration from an unencrypted deployment).
   * Default false: anyone who can call Temporal could otherwise start runs or approve a held run
   * without holding the payload key.
   */
  acceptUnencrypted?: boolean;
}

const MARKER_PAYLOAD: Payload = {
  metadata: { encoding: Buffer.from('json/plain') },
  data: Buffer.from(JSON.stringify({ [UNSEALED_MARKER_KEY]: true })),
};

/**
 * Wraps the payload codec for workers and clients: an inbound payload that was not sealed with one
 * of our keys decodes to a refusal marker instead of its plaintext. Encoding is unchanged.
 */
export class StrictDecodingCodec implements PayloadCodec {
  constructor(
    private readonly inner: PayloadCodec,
    private readonly options: StrictDecodingOptions = {},
  ) {}

  // The context (workflow id) is passed on: the inner codec picks the tenant's key with it.
  encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return this.inner.encode(payloads, context);
  }

  async decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    if (this.options.acceptUnencrypted) return this.inner.decode(payloads, context);
    const sealed = payloads.map((p) => Buffer.from(p.metadata?.encoding ?? []).toString() === ENCRYPTED_ENCODING);
    const opened = await this.inner.decode(payloads.filter((_, i) => sealed[i]), context);
    let next = 0;
    return payloads.map((_, i) => (sealed[i] ? opened[next++]! : MARKER_PAYLOAD));
  }
}
