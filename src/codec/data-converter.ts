import type { DataConverter } from '@temporalio/common';
import type { ConnectorsConfig } from '../config/config-schema';
import { AesGcmPayloadCodec, parseKeyMaterial } from './aes-gcm-payload-codec';
import { StrictDecodingCodec, type StrictDecodingOptions } from './strict-decoding-codec';

/**
 * The one data converter of the project, for the worker, the client, the CLI and the tests:
 * payloads sealed by the AES-GCM codec, failure messages and stack traces sealed with them, and
 * unencrypted inbound payloads refused (decoded to a marker the workflow interceptor rejects)
 * unless `acceptUnencrypted` is set.
 */
export function createDataConverter(codec: AesGcmPayloadCodec, options: StrictDecodingOptions = {}): DataConverter {
  return {
    payloadCodecs: [new StrictDecodingCodec(codec, options)],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}

/** Loaded inside the workflow sandbox too: prebuilt bundles must include it (see workflow-bundle.ts). */
export const FAILURE_CONVERTER_PATH = require.resolve('./encoded-failure-converter');

/** The strict-decoding choice of a config (`encryption.acceptUnencryptedPayloads`, default false). */
export function strictDecodingFromConfig(config: ConnectorsConfig): StrictDecodingOptions {
  return { acceptUnencrypted: config.encryption.acceptUnencryptedPayloads };
}

export function codecFromConfig(config: ConnectorsConfig, resolveSecret: (reference: string) => string): AesGcmPayloadCodec {
  return new AesGcmPayloadCodec(config.encryption.keys.map((k) => parseKeyMaterial(k.id, resolveSecret(k.key))));
}
