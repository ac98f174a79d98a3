import {
  defaultPayloadConverter,
  type ConverterHint,
  type Payload,
  type PayloadConverter,
  type SerializationContext,
} from '@temporalio/common';
import { rememberLegacyUnbound } from './legacy-unbound-values';
import { LEGACY_UNBOUND_METADATA } from './refused-payload-marker';

/**
 * The default JSON payload converter, which also remembers the values of old-format payloads the
 * codec flagged (LEGACY_UNBOUND_METADATA) so the workflow interceptor can tell them apart. Loaded by
 * path, inside the workflow sandbox too (see data-converter.ts and workflow-bundle.ts).
 */
class LegacyAwarePayloadConverter implements PayloadConverter {
  toPayload<T>(value: T, context?: SerializationContext, hint?: ConverterHint<T>): Payload {
    return defaultPayloadConverter.toPayload(value, context, hint);
  }

  fromPayload<T>(payload: Payload, context?: SerializationContext, hint?: ConverterHint<T>): T {
    const value = defaultPayloadConverter.fromPayload<T>(payload, context, hint);
    if (payload.metadata?.[LEGACY_UNBOUND_METADATA]) rememberLegacyUnbound(value);
    return value;
  }
}

export const payloadConverter = new LegacyAwarePayloadConverter();
