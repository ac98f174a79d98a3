import { Client } from '@temporalio/client';
import type { ConnectorHarness } from './connector-harness';

/**
 * A Temporal client that sends plaintext payloads, as anyone with access to Temporal but without the
 * payload key would. It reads answers with the key only so that a test can see why it was refused.
 */
export function plaintextClient(harness: ConnectorHarness): Client {
  return new Client({
    connection: harness.env.connection,
    namespace: harness.env.client.options.namespace,
    dataConverter: {
      payloadCodecs: [{ encode: async (payloads) => payloads, decode: (payloads) => harness.codec.decode(payloads) }],
      failureConverterPath: require.resolve('../../src/codec/encoded-failure-converter'),
    },
  });
}
