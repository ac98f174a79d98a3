import { request } from 'undici';
import { LuccaSandbox, LuccaTenantStore } from '../../../dev/simulators/lucca';
import { call } from './lucca-test-client';

const KEY = 'bd6d5481-40eb-414b-9135-434e12749223';

function tinyTenant(): LuccaTenantStore {
  const store = new LuccaTenantStore();
  store.addApiKey(KEY);
  store.addUser({ firstName: 'Noël', lastName: 'Dubois', dtContractStart: '2020-01-01' });
  return store;
}

describe('Lucca sandbox rate limit', () => {
  let sandbox: LuccaSandbox;
  let clock = Date.parse('2026-11-20T09:00:00Z');

  beforeAll(async () => {
    sandbox = await LuccaSandbox.start({ now: () => new Date(clock) });
    sandbox.addTenant('a', tinyTenant());
    sandbox.addTenant('b', tinyTenant());
  });
  afterAll(() => sandbox.stop());

  it('allows 50 requests per 60 s per domain, then 429 with Retry-After; rejected requests use no budget', async () => {
    const users = `${sandbox.baseUrlFor('a')}/api/v3/users`;
    for (let i = 0; i < 50; i++) {
      clock += 100; // requests spread over 5 s
      expect((await call(users, { key: KEY })).status).toBe(200);
    }
    const limited = await call(users, { key: KEY });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Every integration of a domain shares it; another domain has its own budget.
    expect((await call(`${sandbox.baseUrlFor('b')}/api/v3/users`, { key: KEY })).status).toBe(200);
    // Rejections did not consume budget: once the first request leaves the window, one slot opens.
    expect((await call(users, { key: KEY })).status).toBe(429);
    clock += retryAfter * 1000;
    expect((await call(users, { key: KEY })).status).toBe(200);
    expect(sandbox.stats('a').rateLimited).toBe(2);
    expect(sandbox.stats('a').byRoute['GET /api/v3/users']).toBe(51);
  });
});

describe('Lucca sandbox fault injection', () => {
  let sandbox: LuccaSandbox;

  beforeAll(async () => {
    sandbox = await LuccaSandbox.start({ requestsPerMinute: 0 });
    sandbox.addTenant('acme', tinyTenant());
  });
  afterAll(() => sandbox.stop());

  const admin = (path: string, body?: unknown) =>
    request(`${sandbox.url}/_sandbox/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (r) => ({ status: r.statusCode, json: (await r.body.json()) as any }));

  it('changes faults at runtime through the admin endpoint', async () => {
    const users = `${sandbox.baseUrlFor('acme')}/api/v3/users`;
    expect((await call(users, { key: KEY })).status).toBe(200);

    const set = await admin('acme/faults', { errorRate: 1, errorStatuses: [503] });
    expect(set.status).toBe(200);
    expect(set.json.errorRate).toBe(1);
    expect((await admin('acme/faults')).json.errorStatuses).toEqual([503]);
    expect((await call(users, { key: KEY })).status).toBe(503);

    await admin('acme/faults', {
      reset: true,
      script: [{ kind: 'rateLimit', retryAfterSeconds: 3 }, { kind: 'error', status: 502 }, { kind: 'timeout' }],
      timeoutMs: 50,
    });
    const limited = await call(users, { key: KEY });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('3');
    expect((await call(users, { key: KEY })).status).toBe(502);
    expect((await call(users, { key: KEY })).status).toBe(408);
    expect((await call(users, { key: KEY })).status).toBe(200);

    await admin('acme/faults', { script: [{ kind: 'reset' }] });
    await expect(call(users, { key: KEY })).rejects.toThrow();
    expect((await call(users, { key: KEY })).status).toBe(200);

    expect((await admin('acme/faults', { errorRate: 2 })).status).toBe(400);
    expect((await admin('nobody/faults')).status).toBe(404);

    const stats = await admin('acme/stats');
    expect(stats.json.faulted).toBe(5);
    expect(stats.json.requests).toBe(8);
  });

  it('applies "*" faults to every tenant', async () => {
    sandbox.setFaults('*', { reset: true, script: [{ kind: 'error', status: 500 }] });
    expect((await call(`${sandbox.baseUrlFor('acme')}/api/v3/users`, { key: KEY })).status).toBe(500);
    sandbox.setFaults('*', { reset: true });
    expect((await call(`${sandbox.baseUrlFor('acme')}/api/v3/users`, { key: KEY })).status).toBe(200);
  });
});
