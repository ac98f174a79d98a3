import type { DataConverter } from '@temporalio/common';
import type { ConnectorsConfig } from '../config/config-schema';
import { AesGcmPayloadCodec, parseKeyMaterial } from './aes-gcm-payload-codec';

/**
 * The one data converter of the project, for the worker, the client, the CLI and the tests:
 * payloads sealed by the AES-GCM codec, failure messages and stack traces sealed with them.
 */
export function createDataConverter(codec: AesGcmPayloadCodec): DataConverter {
  return {
    payloadCodecs: [codec],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}

/** Loaded inside the workflow sandbox too: prebuilt bundles must include it (see workflow-bundle.ts). */
export const FAILURE_CONVERTER_PATH = require.resolve('./encoded-failure-converter');

export function codecFromConfig(config: ConnectorsConfig, resolveSecret: (reference: string) => string): AesGcmPayloadCodec {
  return new AesGcmPayloadCodec(config.encryption.keys.map((k) => parseKeyMaterial(k.id, resolveSecret(k.key))));
}
