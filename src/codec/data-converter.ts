import type { DataConverter } from '@temporalio/common';
import type { ConnectorsConfig } from '../config/config-schema';
import { AesGcmPayloadCodec, parseKeyMaterial } from './aes-gcm-payload-codec';
import { OperatorProofCodec } from './operator-proof-codec';
import { operatorPublicKeys, type OperatorPublicKey } from './operator-keys';
import { StrictDecodingCodec, type StrictDecodingOptions } from './strict-decoding-codec';

/**
 * The one data converter of the project, for the worker, the client, the CLI and the tests:
 * payloads sealed by the AES-GCM codec, failure messages and stack traces sealed with them, and
 * unencrypted inbound payloads refused (decoded to a marker the workflow interceptor rejects)
 * unless `acceptUnencrypted` is set; operator commands' proofs verified against `operators` (none:
 * every proof is refused).
 */
export function createDataConverter(
  codec: AesGcmPayloadCodec,
  options: StrictDecodingOptions & { operators?: () => readonly OperatorPublicKey[] } = {},
): DataConverter {
  const operators = options.operators ?? (() => []);
  return {
    // Decoding runs last to first: open (and check the binding), then verify operator proofs.
    payloadCodecs: [new OperatorProofCodec(operators), new StrictDecodingCodec(codec, options)],
    failureConverterPath: FAILURE_CONVERTER_PATH,
    payloadConverterPath: PAYLOAD_CONVERTER_PATH,
  };
}

/** Loaded inside the workflow sandbox too: prebuilt bundles must include it (see workflow-bundle.ts). */
export const FAILURE_CONVERTER_PATH = require.resolve('./encoded-failure-converter');
/** JSON, remembering old-format (unbound) values for the workflow interceptor; in prebuilt bundles too. */
export const PAYLOAD_CONVERTER_PATH = require.resolve('./legacy-aware-payload-converter');

/** The strict-decoding choice of a config (`encryption.acceptUnencryptedPayloads`, default false). */
export function strictDecodingFromConfig(
  config: ConnectorsConfig,
): StrictDecodingOptions & { operators: () => readonly OperatorPublicKey[] } {
  const operators = operatorPublicKeys(config.operators);
  return { acceptUnencrypted: config.encryption.acceptUnencryptedPayloads, operators: () => operators };
}

export function codecFromConfig(config: ConnectorsConfig, resolveSecret: (reference: string) => string): AesGcmPayloadCodec {
  return new AesGcmPayloadCodec(config.encryption.keys.map((k) => ({ ...parseKeyMaterial(k.id, resolveSecret(k.key)), seal: k.seal })));
}
