import { request } from 'undici';
import { ElevoClient, ElevoRequestError, elevoErrorCode } from '../../../src/connectors/elevo-user-sync/elevo/client';
import { IntegrationError } from '../../../src/integrations/http/integration-error';
import { ElevoSandbox } from '../../../dev/simulators/elevo/elevo-sandbox';
import { readSandboxElevoTenants } from '../../../dev/simulators/elevo/sandbox-elevo-tenants';

const tokens = Object.fromEntries(readSandboxElevoTenants().map((t) => [t.tenantId, t.token]));
const FAST_RETRY = { initialDelayMs: 10, maxDelayMs: 2_000 };

let sandbox: ElevoSandbox;
let tenantSeq = 0;

/** A fresh Elevo account per test, so tests never see each other's users. */
function freshTenant(over: { perPage?: number; token?: string } = {}): { tenantId: string; client: ElevoClient } {
  const tenantId = `t${++tenantSeq}`;
  sandbox.addTenant(tenantId, `token-${tenantId}-0123456789`);
  const client = new ElevoClient({
    tenantId,
    baseUrl: sandbox.baseUrlFor(tenantId),
    token: over.token ?? `token-${tenantId}-0123456789`,
    retry: FAST_RETRY,
    perPage: over.perPage,
  });
  return { tenantId, client };
}

async function rejection(p: Promise<unknown>): Promise<IntegrationError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof IntegrationError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

const user = (n: number, over: Record<string, unknown> = {}) => ({
  email: `user${n}@example.test`,
  externalId: String(n),
  firstName: `F${n}`,
  lastName: `L${n}`,
  registrationNumber: `M${n}`,
  jobTitle: 'Engineer',
  department: 'R&D',
  workStartDate: '2021-03-01',
  customFields: { costCenter: 'CC1' },
  lockedAttributes: ['email', 'firstName', 'lastName', 'jobTitle', 'customFields.costCenter'],
  ...over,
});

beforeAll(async () => {
  sandbox = await ElevoSandbox.start();
});
afterAll(async () => {
  await sandbox.stop();
});

describe('Elevo client against the Elevo sandbox', () => {
  it('serves the sandbox tenants with the tokens from config/sandbox-secrets', async () => {
    expect(Object.keys(tokens)).toEqual(expect.arrayContaining(['acme', 'globex']));
    const acme = new ElevoClient({ tenantId: 'acme', baseUrl: sandbox.baseUrlFor('acme'), token: tokens.acme! });
    await expect(acme.listAllUsers()).resolves.toEqual([]);
    // One account's token does not open another account.
    const cross = new ElevoClient({ tenantId: 'globex', baseUrl: sandbox.baseUrlFor('globex'), token: tokens.acme!, retry: FAST_RETRY });
    expect((await rejection(cross.listAllUsers())).kind).toBe('authentication');
  });

  it('pages through users in a stable order and filters by externalId and email', async () => {
    const { tenantId, client } = freshTenant({ perPage: 500 });
    for (let i = 1; i <= 1234; i++) sandbox.seedUser(tenantId, { email: `seed${i}@example.test`, externalId: i % 2 ? String(i) : null });
    const pages: number[] = [];
    for await (const page of client.listUsers()) pages.push(page.length);
    expect(pages).toEqual([500, 500, 234]);
    const all = await client.listAllUsers();
    expect(all.map((u) => u.id)).toEqual(sandbox.users(tenantId).map((u) => u.id));
    expect(new Set(all.map((u) => u.id)).size).toBe(1234);
    expect((await client.findByExternalId('777'))?.email).toBe('seed777@example.test');
    expect(await client.findByExternalId('778')).toBeNull();
    expect((await client.findByEmail('SEED5@example.test'))?.externalId).toBe('5');
    const targets: number[] = [];
    for await (const page of client.listUserPages()) targets.push(...page.map((t) => t.elevoId.length));
    expect(targets).toHaveLength(1234);
  });

  it('create with the same idempotency key twice gives one user', async () => {
    const { tenantId, client } = freshTenant();
    const first = await client.createUser(user(1), 'run-1:create:1');
    const again = await client.createUser(user(1), 'run-1:create:1');
    expect(again.id).toBe(first.id);
    expect(sandbox.users(tenantId)).toHaveLength(1);
    expect(sandbox.stats(tenantId).writes.create).toBe(1);
    expect(first).toMatchObject({ externalId: '1', status: 'active', customFields: { costCenter: 'CC1' }, workStartDate: '2021-03-01' });
  });

  it('409 email_taken (even by a suspended user) is non-retryable with the code', async () => {
    const { tenantId, client } = freshTenant();
    const existing = await client.createUser(user(1), 'k1');
    await client.suspendUser(existing.id);
    const err = await rejection(client.createUser(user(2, { email: 'USER1@example.test' }), 'k2'));
    expect(err).toBeInstanceOf(ElevoRequestError);
    expect(err).toMatchObject({ kind: 'conflict', status: 409, retryable: false });
    expect(elevoErrorCode(err)).toBe('email_taken');
    expect(err.message).not.toContain('user1@example.test');
    expect(sandbox.users(tenantId)).toHaveLength(1);
  });

  it('409 external_id_taken when linking a second user to the same employee', async () => {
    const { client } = freshTenant();
    await client.createUser(user(1), 'k1');
    const other = await client.createUser({ email: 'other@example.test' }, 'k2');
    const err = await rejection(client.updateUser(other.id, { externalId: '1' }));
    expect(elevoErrorCode(err)).toBe('external_id_taken');
  });

  it('422 unknown_manager until the manager exists', async () => {
    const { client } = freshTenant();
    const err = await rejection(client.createUser(user(2, { managerExternalId: '1' }), 'k2'));
    expect(err).toMatchObject({ kind: 'bad-request', status: 422, retryable: false });
    expect(elevoErrorCode(err)).toBe('unknown_manager');
    await client.createUser(user(1), 'k1');
    await expect(client.createUser(user(2, { managerExternalId: '1' }), 'k2b')).resolves.toMatchObject({ managerExternalId: '1' });
  });

  it('updates merge custom fields; suspend, reactivate and release', async () => {
    const { tenantId, client } = freshTenant();
    const u = await client.createUser(user(1, { customFields: { costCenter: 'CC1', site: 'Lyon' } }), 'k1');
    const updated = await client.updateUser(u.id, { jobTitle: 'Lead', customFields: { costCenter: 'CC2' } });
    expect(updated).toMatchObject({ jobTitle: 'Lead', customFields: { costCenter: 'CC2', site: 'Lyon' } });
    expect((await client.suspendUser(u.id)).status).toBe('suspended');
    expect((await client.suspendUser(u.id)).status).toBe('suspended'); // idempotent
    expect((await client.reactivateUser(u.id)).status).toBe('active');
    const released = await client.releaseUser(u.id);
    expect(released).toMatchObject({ status: 'active', lockedAttributes: [], externalId: '1' });
    expect(sandbox.stats(tenantId).writes).toMatchObject({ create: 1, update: 1, suspend: 2, reactivate: 1, release: 1 });
    expect(sandbox.writeCount(tenantId)).toBe(6);
    const missing = await rejection(client.suspendUser('usr_nope'));
    expect(missing).toMatchObject({ kind: 'not-found', retryable: false });
  });

  it('an admin edit of a locked attribute is refused (423) while an unlocked one is accepted', async () => {
    const { client } = freshTenant();
    const u = await client.createUser(user(1, { customFields: { costCenter: 'CC1', site: 'Lyon' } }), 'k1');
    const err = await rejection(client.adminEditUser(u.id, { jobTitle: 'Hacked', customFields: { costCenter: 'X' } }));
    expect(err).toMatchObject({ status: 423, retryable: false });
    expect(elevoErrorCode(err)).toBe('attribute_locked');
    expect(err.message).toContain('jobTitle, customFields.costCenter');
    const ok = await client.adminEditUser(u.id, { department: 'Sales', customFields: { site: 'Paris' } });
    expect(ok).toMatchObject({ department: 'Sales', jobTitle: 'Engineer', customFields: { costCenter: 'CC1', site: 'Paris' } });
    // Once released, the admin may edit everything again.
    await client.releaseUser(u.id);
    await expect(client.adminEditUser(u.id, { jobTitle: 'Manager' })).resolves.toMatchObject({ jobTitle: 'Manager' });
  });

  it('a bad token fails at once: authentication, non-retryable, one request', async () => {
    const { tenantId, client } = freshTenant({ token: 'wrong-token' });
    const err = await rejection(client.listAllUsers());
    expect(err).toMatchObject({ kind: 'authentication', status: 401, retryable: false, failureType: 'ElevoAuthenticationError' });
    expect(client.requestCount).toBe(1);
    expect(sandbox.stats(tenantId).requests).toBe(1);
    expect(err.message).not.toContain('wrong-token');
  });

  it('injected 5xx are retried and the call succeeds', async () => {
    const { tenantId, client } = freshTenant();
    sandbox.setFaults(tenantId, {
      script: [
        { kind: 'error', status: 503 },
        { kind: 'error', status: 502 },
      ],
    });
    const created = await client.createUser(user(1), 'k1');
    expect(created.externalId).toBe('1');
    expect(client.requestCount).toBe(3);
    expect(sandbox.users(tenantId)).toHaveLength(1);
  });

  it('a 429 Retry-After is honoured: short waits are retried in-process, long ones surface retryAfterMs', async () => {
    const { tenantId, client } = freshTenant();
    sandbox.setFaults(tenantId, { script: [{ kind: 'rateLimit', retryAfterSeconds: 1 }] });
    await expect(client.listAllUsers()).resolves.toEqual([]);
    expect(client.requestCount).toBe(2);

    sandbox.setFaults(tenantId, { script: [{ kind: 'rateLimit', retryAfterSeconds: 120 }] });
    const err = await rejection(client.listAllUsers());
    expect(err).toMatchObject({ kind: 'rate-limited', retryable: true, retryAfterMs: 120_000 });
  });

  it('the per-tenant requests-per-minute limit answers 429 with Retry-After', async () => {
    const { tenantId, client } = freshTenant();
    sandbox.setRequestsPerMinute(tenantId, 2);
    await client.listAllUsers();
    await client.listAllUsers();
    const err = await rejection(client.listAllUsers());
    expect(err).toMatchObject({ kind: 'rate-limited', retryable: true });
    expect(err.retryAfterMs).toBeGreaterThan(2_000);
    expect(sandbox.stats(tenantId).rateLimited).toBe(1);
  });

  it('admin HTTP endpoints: faults and stats', async () => {
    const { tenantId, client } = freshTenant();
    const put = await request(`${sandbox.url}/_sandbox/${tenantId}/faults`, {
      method: 'PUT',
      body: JSON.stringify({ script: [{ kind: 'error', status: 500 }] }),
    });
    expect(put.statusCode).toBe(200);
    await put.body.dump();
    await client.createUser(user(1), 'k1');
    const stats = await request(`${sandbox.url}/_sandbox/${tenantId}/stats`);
    expect(await stats.body.json()).toMatchObject({ requests: 2, writeCount: 1, writes: { create: 1 } });
    const reset = await request(`${sandbox.url}/_sandbox/stats/reset?tenant=${tenantId}`, { method: 'POST' });
    await reset.body.dump();
    expect(sandbox.stats(tenantId).requests).toBe(0);
  });
});
