import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhook } from '../../../src/connectors/aequivalent-screening/aequivalent/webhook-signature';

const secret = 'whsec_test_only';
const body = '{"id":"evt_1","type":"dossier.status_changed"}';
const t = 1_760_000_000;

describe('webhook signature', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 in hex', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signWebhook(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies its own signature, from a string or the raw bytes', () => {
    const header = signWebhook(secret, body, t);
    expect(verifyWebhook(secret, header, body, t + 10)).toEqual({ ok: true, timestampSeconds: t });
    expect(verifyWebhook(secret, header, Buffer.from(body), t - 10).ok).toBe(true);
  });

  it.each([
    ['missing header', undefined, 'missing_header'],
    ['empty header', '', 'missing_header'],
    ['garbage', 'nonsense', 'malformed_header'],
    ['no v1', `t=${t}`, 'malformed_header'],
    ['non-hex v1', `t=${t},v1=zz`, 'malformed_header'],
    ['no timestamp', `v1=${'a'.repeat(64)}`, 'malformed_header'],
  ])('rejects %s', (_name, header, reason) => {
    expect(verifyWebhook(secret, header, body, t)).toEqual({ ok: false, reason });
  });

  it('rejects a stale or future timestamp', () => {
    const header = signWebhook(secret, body, t);
    expect(verifyWebhook(secret, header, body, t + 301)).toEqual({ ok: false, reason: 'timestamp_out_of_tolerance' });
    expect(verifyWebhook(secret, header, body, t - 301)).toEqual({ ok: false, reason: 'timestamp_out_of_tolerance' });
    expect(verifyWebhook(secret, header, body, t + 1000, 2000).ok).toBe(true);
  });

  it('rejects a modified body, another secret, or a shifted timestamp', () => {
    const header = signWebhook(secret, body, t);
    expect(verifyWebhook(secret, header, body.replace('evt_1', 'evt_2'), t)).toEqual({ ok: false, reason: 'signature_mismatch' });
    expect(verifyWebhook('other', header, body, t)).toEqual({ ok: false, reason: 'signature_mismatch' });
    const shifted = header.replace(`t=${t}`, `t=${t + 1}`);
    expect(verifyWebhook(secret, shifted, body, t)).toEqual({ ok: false, reason: 'signature_mismatch' });
  });

  it('accepts any matching v1 among several (secret rotation)', () => {
    const good = signWebhook(secret, body, t).split('v1=')[1];
    expect(verifyWebhook(secret, `t=${t},v1=${'0'.repeat(64)},v1=${good}`, body, t).ok).toBe(true);
  });
});
