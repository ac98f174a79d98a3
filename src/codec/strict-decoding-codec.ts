import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { ENCRYPTED_ENCODING, PayloadBindingError } from './aes-gcm-payload-codec';
import { REFUSED_MARKER_KEY, type PayloadRefusal } from './refused-payload-marker';
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
 * of our keys decodes to a refusal marker instead of its plaintext, and so does a payload sealed for
 * another workflow or tenant (see PayloadBindingError): the interceptors refuse both, so a workflow
 * task never fails on a payload an attacker chose. Encoding is unchanged.
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
    const decoded: Payload[] = [];
    for (const payload of payloads) decoded.push(await this.decodeOne(payload, context));
    return decoded;
  }

  /** Unsealed: the unsealed marker (unless accepted); sealed for another workflow or tenant: the refusal marker. */
  private async decodeOne(payload: Payload, context: SerializationContext | undefined): Promise<Payload> {
    const sealed = Buffer.from(payload.metadata?.encoding ?? []).toString() === ENCRYPTED_ENCODING;
    if (!sealed && !this.options.acceptUnencrypted) return MARKER_PAYLOAD;
    try {
      return (await this.inner.decode([payload], context))[0]!;
    } catch (err) {
      if (err instanceof PayloadBindingError) return refusedMarkerPayload(err.refusal);
      throw err;
    }
  }
}

export function refusedMarkerPayload(refusal: PayloadRefusal): Payload {
  return { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify({ [REFUSED_MARKER_KEY]: refusal })) };
}
