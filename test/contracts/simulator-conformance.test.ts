import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { AequivalentSandbox } from '../../dev/simulators/aequivalent';
import { ElevoSandbox } from '../../dev/simulators/elevo';
import { SeededRandom } from '../../dev/simulators/simulator-kit/seeded-random';
import { OpenApiContract, recordingFetch, type RecordedExchange } from '../support/openapi-contract';

/**
 * Every answer of the Elevo and Aequivalent simulators, over real sockets, checked against
 * api/*.openapi.yaml: status declared for the operation, body valid (formats included), required
 * headers present. The traffic covers every operation, the documented errors (400, 401, 404, 405,
 * 408, 409, 413, 422, 423, 429, 5xx) and seeded random mutations of valid request bodies.
 */
const ELEVO_TOKEN = 'conformance-elevo-token';
const AEQ_KEY = 'conformance-aeq-key';

describe('simulators conform to their OpenAPI contracts', () => {
  let elevo: ElevoSandbox;
  let aequivalent: AequivalentSandbox;
  beforeAll(async () => {
    elevo = await ElevoSandbox.start({ tenants: [{ tenantId: 'acme', token: ELEVO_TOKEN }] });
    aequivalent = await AequivalentSandbox.start({ lifecycle: { mode: 'manual' } });
    aequivalent.addTenant('acme', { apiKey: AEQ_KEY, webhookSecret: 'whsec-conformance' });
  });
  afterAll(async () => {
    await elevo?.stop();
    await aequivalent?.stop();
  });

  it('Elevo provisioning API: every answer is in the contract', async () => {
    const contract = new OpenApiContract('api/elevo-provisioning.openapi.yaml');
    const log: RecordedExchange[] = [];
    const call = recordingFetch(elevo.baseUrlFor('acme'), log);
    const auth = { authorization: `Bearer ${ELEVO_TOKEN}`, 'content-type': 'application/json' };
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      call(path, { method: 'POST', headers: { ...auth, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const patch = (path: string, body: unknown) => call(path, { method: 'PATCH', headers: auth, body: JSON.stringify(body) });

    const boss = await post(
      '/users',
      { email: 'boss@acme.example.fr', firstName: 'Anne', externalId: '1', workStartDate: '2020-01-06', lockedAttributes: ['email'] },
      { 'idempotency-key': 'k-boss' },
    );
    expect(boss.status).toBe(201);
    const id = (boss.body as { id: string }).id;
    await post(
      '/users',
      { email: 'boss@acme.example.fr', firstName: 'Anne', externalId: '1', workStartDate: '2020-01-06', lockedAttributes: ['email'] },
      { 'idempotency-key': 'k-boss' },
    ); // replay 200
    await post('/users', { email: 'BOSS@acme.example.fr', externalId: '2' }); // 409 email_taken
    await post('/users', { email: 'x@acme.example.fr', managerExternalId: 'nobody' }); // 422 unknown_manager
    await post('/users', { email: 'x@acme.example.fr', workStartDate: '2024-02-31' }); // 422 impossible date
    await post('/users', '{not json'); // 400
    await post('/users', { email: 'big@acme.example.fr', customFields: { blob: 'x'.repeat(1_100_000) } }); // 413
    await call('/users', { method: 'DELETE', headers: auth }); // 405
    await call('/users?page=1&perPage=2', { headers: auth });
    await call('/users?perPage=0', { headers: auth }); // 422
    await call('/users', {}); // 401
    await call(`/users/${id}`, { headers: auth });
    await call('/users/usr_missing', { headers: auth }); // 404
    await patch(`/users/${id}`, { jobTitle: 'Directrice', customFields: { costCenter: 'CC-1' } });
    await patch(`/users/${id}`, { email: 'not-an-email' }); // 422
    for (const action of ['suspend', 'reactivate', 'release']) await post(`/users/${id}/${action}`, {});
    await post('/users/usr_missing/suspend', {}); // 404
    await patch(`/users/${id}`, { lockedAttributes: ['jobTitle'] });
    await call(`/admin/users/${id}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ jobTitle: 'Pirate' }) }); // 423
    await call(`/admin/users/${id}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ department: 'Finance' }) });
    elevo.setFaults('acme', {
      script: [{ kind: 'rateLimit', retryAfterSeconds: 3 }, { kind: 'error', status: 503 }, { kind: 'timeout' }],
      timeoutMs: 10,
    });
    for (let i = 0; i < 3; i++) await call('/users', { headers: auth });
    elevo.setFaults('acme', { reset: true });
    elevo.setRequestsPerMinute('acme', 1);
    await call('/users', { headers: auth });
    await call('/users', { headers: auth }); // 429 from the limiter
    elevo.setRequestsPerMinute('acme', 0);
    await call('/nowhere', { headers: auth }); // 404 route (checked against the closest path: none)
    const rng = new SeededRandom(2026);
    for (let i = 0; i < 40; i++)
      await post(
        '/users',
        mutate(rng, {
          email: `p${i}@acme.example.fr`,
          firstName: 'Léa',
          lastName: 'Martin',
          workStartDate: '2023-04-03',
          managerExternalId: '1',
          customFields: { costCenter: 'CC-2' },
        }),
      );

    const statuses = new Set(log.map((x) => x.status));
    for (const s of [200, 201, 400, 401, 404, 405, 408, 409, 413, 422, 423, 429, 503]) expect(statuses).toContain(s);
    const violations = log.filter((x) => x.path !== '/nowhere').flatMap((x) => contract.check(x));
    expect(violations).toEqual([]);
    expect(contract.operationIds().filter((op) => !contract.covered.has(op))).toEqual([]);
  });

  it('Aequivalent orders API: every answer is in the contract, 413 (not a reset) past 50 MB chunked', async () => {
    const contract = new OpenApiContract('api/aequivalent-orders.openapi.yaml');
    const log: RecordedExchange[] = [];
    const call = recordingFetch(aequivalent.baseUrlFor('acme'), log);
    const auth = { authorization: `Bearer ${AEQ_KEY}` };
    const json = { ...auth, 'content-type': 'application/json' };
    const create = (body: unknown, key?: string) =>
      call('/dossiers', {
        method: 'POST',
        headers: { ...json, ...(key ? { 'idempotency-key': key } : {}) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });

    const first = await create(dossierRequest('order-1'), 'key-1');
    expect(first.status).toBe(201);
    const id = (first.body as { id: string }).id;
    await create(dossierRequest('order-1'), 'key-1'); // 200 replay
    await create(dossierRequest('order-other'), 'key-1'); // 422 reused
    await create(dossierRequest('order-2')); // 400 key required
    await create({ ...dossierRequest('order-3'), candidate: { ...dossierRequest('x').candidate, birthDate: '1990-02-30' } }, 'key-3'); // 400 impossible date
    await create({ ...dossierRequest('order-3'), candidate: { ...dossierRequest('x').candidate, email: 'nobody@' } }, 'key-3b'); // 400 bad email
    await create('{not json', 'key-4'); // 400
    await call('/dossiers', { method: 'DELETE', headers: auth }); // 405
    await call('/dossiers', {}); // 401
    for (let i = 0; i < 3; i++) await create(dossierRequest(`order-page-${i}`), `key-page-${i}`);
    const page1 = await call('/dossiers?perPage=2', { headers: auth });
    expect(page1.body).toMatchObject({ page: 1, perPage: 2, nextPage: 2 });
    await call('/dossiers?perPage=2&page=3', { headers: auth });
    await call('/dossiers?externalReference=order-1', { headers: auth });
    await call('/dossiers?perPage=0', { headers: auth }); // 400
    await call(`/dossiers/${id}`, { headers: auth });
    await call('/dossiers/dos_missing', { headers: auth }); // 404
    const pdf = Buffer.from('%PDF-1.4 conformance');
    const upload = (body: RequestInit['body'], headers: Record<string, string> = {}) =>
      call(`/dossiers/${id}/documents`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/pdf', 'x-file-name': 'cv.pdf', 'x-document-kind': 'cv', ...headers },
        body: body,
        duplex: 'half',
      });
    await upload(pdf, { 'idempotency-key': 'doc-1', 'x-content-sha256': createHash('sha256').update(pdf).digest('hex') }); // 201
    await upload(pdf, { 'idempotency-key': 'doc-1' }); // 200 replay
    await upload(pdf, { 'x-content-sha256': '0'.repeat(64) }); // 422 checksum
    await upload(pdf, { 'x-document-kind': 'passport' }); // 400
    await upload(pdf, { 'content-length': String(60 * 1024 * 1024) }).catch(() => undefined); // declared too large: 413 (undici may refuse the lie)
    const chunked = await upload(Readable.toWeb(Readable.from(chunks(51 * 1024 * 1024))));
    expect(chunked.status).toBe(413);
    expect(chunked.body).toMatchObject({ error: { code: 'document_too_large' } });
    await call(`/dossiers/${id}/cancel`, { method: 'POST', headers: auth });
    await call(`/dossiers/${id}/cancel`, { method: 'POST', headers: auth }); // 200 again
    await upload(pdf); // 409 dossier closed
    const other = (await create(dossierRequest('order-5'), 'key-5')).body as { id: string };
    aequivalent.advance('acme', other.id, 'candidate_invited');
    aequivalent.advance('acme', other.id, 'consent_refused');
    await call(`/dossiers/${other.id}/cancel`, { method: 'POST', headers: auth }); // 409
    aequivalent.setFaults({
      script: [
        { kind: 'rateLimit', retryAfterSeconds: 3 },
        { kind: 'error', status: 503 },
        { kind: 'error', status: 500 },
        { kind: 'timeout' },
      ],
      timeoutMs: 10,
    });
    for (let i = 0; i < 4; i++) await call(`/dossiers/${id}`, { headers: auth });
    aequivalent.setFaults({ reset: true });
    const rng = new SeededRandom(7);
    for (let i = 0; i < 40; i++) await create(mutate(rng, dossierRequest(`order-m-${i}`)), `key-m-${i}`);

    const statuses = new Set(log.map((x) => x.status));
    for (const s of [200, 201, 400, 401, 404, 405, 408, 409, 413, 422, 429, 500, 503]) expect(statuses).toContain(s);
    expect(log.flatMap((x) => contract.check(x))).toEqual([]);
    expect(contract.operationIds().filter((op) => !contract.covered.has(op))).toEqual([]);
  });
});

function dossierRequest(externalReference: string) {
  return {
    externalReference,
    package: 'Standard',
    reasonCategory: 'Recrutement',
    reason: 'Embauche',
    costCenter: 'CC-42',
    candidate: {
      civility: 'ms',
      firstName: 'Camille',
      lastName: 'Moreau',
      language: 'fr-FR',
      email: 'camille.moreau@acme.example.fr',
      professionalPhone: null,
      personalPhone: '+33612345678',
      birthDate: '1990-05-17',
      contractStart: '2026-12-01',
      jobTitle: 'Comptable',
    },
    clientUser: { luccaId: 12, name: 'Anne Roux' },
  };
}

/** A valid body with one seeded change: a field dropped, nulled, retyped, an impossible date, a bad e-mail, an extra property. */
function mutate<T extends Record<string, unknown>>(rng: SeededRandom, body: T): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
  const target = rng.chance(0.5) && copy.candidate ? (copy.candidate as Record<string, unknown>) : copy;
  const keys = Object.keys(target);
  const key = keys[rng.int(0, keys.length - 1)]!;
  const change = rng.int(0, 5);
  if (change === 0) delete target[key];
  else if (change === 1) target[key] = null;
  else if (change === 2) target[key] = 12345;
  else if (change === 3) target[key] = '2023-02-29';
  else if (change === 4) target[key] = 'someone@nowhere';
  else target[`unexpected_${key}`] = 'x';
  return copy;
}

function* chunks(total: number): Generator<Buffer> {
  const block = Buffer.alloc(1024 * 1024, 7);
  for (let sent = 0; sent < total; sent += block.length) yield block;
}
