import { employeeIdOf } from '../../../src/integrations/lucca-api/employee-topics';
import { OAuthTokenCache } from '../../../src/integrations/lucca-api/oauth-token-cache';
import { signLuccaDelivery, verifyLuccaDelivery } from '../../../src/integrations/lucca-api/lucca-webhook-signature';
import { RecentIds } from '../../../src/webhooks/recent-ids';

describe('Lucca delivery signature', () => {
  const secret = 'b3YGydKxao0CYEg4-2LM81rviT-vl2JzKyf_zlewRn0cpoHzh4mRLj5_Ty5neQta';
  const body = '{"id":"1","topic":"employee.updated"}';
  const ts = '2025-01-01T08:34:23Z';
  const at = Date.parse(ts);

  it('verifies base64 HMAC-SHA256 of "<timestamp>.<body>"', () => {
    const signature = signLuccaDelivery(secret, ts, body);
    expect(signature).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(verifyLuccaDelivery(secret, { signature, timestamp: ts }, Buffer.from(body), at + 60_000)).toEqual({ ok: true });
  });

  it.each([
    ['a timestamp 5 min 1 s away', { timestamp: ts }, at + 301_000, 'timestamp_out_of_tolerance'],
    ['a timestamp in the future', { timestamp: ts }, at - 301_000, 'timestamp_out_of_tolerance'],
    ['a non-UTC timestamp', { timestamp: '2025-01-01T09:34:23+01:00' }, at, 'malformed_header'],
    ['two signature headers', { signature: ['a', 'b'] }, at, 'missing_header'],
    ['a hex signature', { signature: 'ab'.repeat(32) }, at, 'malformed_header'],
  ])('refuses %s', (_what, override, now, reason) => {
    const headers = { signature: signLuccaDelivery(secret, ts, body) as string | string[], timestamp: ts, ...override };
    expect(verifyLuccaDelivery(secret, headers, body, now)).toEqual({ ok: false, reason });
  });
});

describe('OAuth token cache', () => {
  it('shares one token request between concurrent callers and drops a refused token', async () => {
    let n = 0;
    const cache = new OAuthTokenCache({ fetch: async () => ({ accessToken: `t${++n}`, expiresInSeconds: 1800 }) });
    expect(await Promise.all([cache.get(), cache.get(), cache.get()])).toEqual(['t1', 't1', 't1']);
    cache.invalidate('t0'); // an older token: nothing happens
    expect(await cache.get()).toBe('t1');
    cache.invalidate('t1');
    expect(await cache.get()).toBe('t2');
    expect(cache.fetchCount).toBe(2);
  });

  it('refreshes before expiry, never earlier than half the lifetime for short tokens', async () => {
    let now = 0;
    let n = 0;
    const cache = new OAuthTokenCache({ now: () => now, fetch: async () => ({ accessToken: `t${++n}`, expiresInSeconds: 60 }) });
    await cache.get();
    now = 29_000;
    expect(await cache.get()).toBe('t1');
    now = 30_000;
    expect(await cache.get()).toBe('t2');
  });
});

describe('employee id of an event', () => {
  it.each([
    [{ id: '1', topic: 'employee.updated', occurredAt: 'x', data: { id: '416' } }, 416],
    [{ id: '2', topic: 'employee.deleted', occurredAt: 'x', data: { id: 417 } }, 417],
    [{ id: '3', topic: 'job-position.updated', occurredAt: 'x', data: { id: '74', employee: { id: '418' } } }, 418],
    [{ id: '4', topic: 'department.updated', occurredAt: 'x', data: { id: '13' } }, undefined],
    [{ id: '5', topic: 'employee.updated', occurredAt: 'x', data: { id: 'abc' } }, undefined],
    [{ id: '6', topic: 'employee.updated', occurredAt: 'x', data: null }, undefined],
  ])('case %#: the employee id, or none for other resources and bad ids', (event, expected) => {
    expect(employeeIdOf(event)).toBe(expected);
  });
});

describe('recent ids', () => {
  it('forgets the oldest past its capacity', () => {
    const recent = new RecentIds(2);
    recent.add('a');
    recent.add('b');
    recent.add('c');
    expect([recent.has('a'), recent.has('b'), recent.has('c')]).toEqual([false, true, true]);
  });
});
