import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from '../../../src/codec/aes-gcm-payload-codec';
import { StrictDecodingCodec } from '../../../src/codec/strict-decoding-codec';
import { isUnsealedMarker } from '../../../src/codec/unsealed-input-marker';

const aes = new AesGcmPayloadCodec([{ id: 'k1', key: randomBytes(32) }]);
const plain = defaultPayloadConverter.toPayload({ by: 'intruder' });

describe('StrictDecodingCodec', () => {
  it('decodes sealed payloads and turns unencrypted ones into the refusal marker, keeping their order', async () => {
    const [sealed] = await aes.encode([defaultPayloadConverter.toPayload({ by: 'ops' })]);
    const decoded = await new StrictDecodingCodec(aes).decode([plain, sealed!, plain]);
    const values = decoded.map((p) => defaultPayloadConverter.fromPayload(p));
    expect(values.map(isUnsealedMarker)).toEqual([true, false, true]);
    expect(values[1]).toEqual({ by: 'ops' });
    expect(JSON.stringify(values)).not.toContain('intruder');
  });

  it('lets plaintext through only when explicitly allowed', async () => {
    const [decoded] = await new StrictDecodingCodec(aes, { acceptUnencrypted: true }).decode([plain]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ by: 'intruder' });
  });
});
