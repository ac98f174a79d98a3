import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { request } from 'undici';
import { AesGcmPayloadCodec } from '../../../src/codec/aes-gcm-payload-codec';
import { startCodecServer, type CodecAuditLine, type RunningCodecServer } from '../../../src/codec/codec-server';
import { StrictDecodingCodec } from '../../../src/codec/strict-decoding-codec';
import { REFUSED_MARKER_KEY } from '../../../src/codec/refused-payload-marker';
import { tenantOfWorkflowId } from '../../../src/runtime/tenant-payload-keys';

/**
 * Attacks on the codec server by people and tools that hold a valid credential (docs/threat-model.md):
 * - an ID token (addressed to the UI's client id) used as an access token;
 * - a person of one tenant decoding another tenant's payloads;
 * - `/encode` used to forge worker input, e.g. a `pause` for a domain's Lucca budget workflow: refused
 *   without an encode grant, and when granted, sealed for one named workflow that the worker's codec
 *   refuses anywhere else.
 * A real JWKS endpoint on a socket, tokens signed with keys generated here.
 */
const UI_CLIENT_ID = 'temporal-ui';
const CLI_TOKEN = `cli-${randomUUID()}`;
const SECRET = 'Martin 1990-01-02';
const TENANTS = ['acme', 'globex'];
const ACME_RUN = 'elevo-user-sync/acme/2026-11-20/manual-1';
const GLOBEX_RUN = 'elevo-user-sync/globex/2026-11-20/manual-1';
const BUDGET = 'lucca-request-budget/acme.ilucca.net';

describe('codec server: roles, tenants, ID tokens and /encode', () => {
  let issuerServer: Server;
  let issuer: string;
  let signingKey: KeyLike;
  let server: RunningCodecServer;
  const audit: CodecAuditLine[] = [];
  const codec = new AesGcmPayloadCodec([{ id: 'k', key: randomBytes(32) }]);
  const material = new Map(TENANTS.map((t) => [t, randomBytes(32)]));
  codec.useTenantKeys({
    tenantOf: (id) => tenantOfWorkflowId(id, (t) => TENANTS.includes(t)),
    material: async (t) => material.get(t),
    createsMaterial: false,
  });

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    issuerServer = createServer((req, res) =>
      res.writeHead(req.url === '/jwks' ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((r) => issuerServer.listen(0, '127.0.0.1', r));
    issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
    server = await startCodecServer({
      codec,
      auth: {
        oidc: { issuer, audience: UI_CLIENT_ID, jwksUri: `${issuer}/jwks`, groupsClaim: 'groups' },
        access: [
          { group: 'hr-acme', tenants: ['acme'], encode: false },
          { group: 'ops-encoders', tenants: ['acme'], encode: true },
        ],
        tokens: [{ name: 'ops-cli', token: CLI_TOKEN, tenants: ['*'], encode: false }],
      },
      allowedOrigins: ['http://127.0.0.1:8233'],
      port: 0,
      audit: (l) => audit.push(l),
    });
  });
  afterAll(async () => {
    await server?.stop();
    await new Promise((r) => issuerServer?.close(r));
  });

  const jwt = (claims: Record<string, unknown>, typ: string | null = 'at+jwt') =>
    new SignJWT({ email: 'person@example.com', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', ...(typ ? { typ } : {}) })
      .setSubject('user-7')
      .setIssuer(issuer)
      .setAudience(UI_CLIENT_ID)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(signingKey);

  const sealedFor = (workflowId: string, value: unknown = { name: SECRET }) =>
    codec.encode([defaultPayloadConverter.toPayload(value)], { type: 'workflow', namespace: 'default', workflowId });
  const body = (payloads: Payload[]) =>
    JSON.stringify({
      payloads: payloads.map((p) => ({
        metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
        data: Buffer.from(p.data!).toString('base64'),
      })),
    });
  const post = async (path: string, bearer: string, payloads: Payload[], headers: Record<string, string> = {}) => {
    const res = await request(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}`, 'x-namespace': 'default', ...headers },
      body: body(payloads),
    });
    return {
      status: res.statusCode,
      json: JSON.parse((await res.body.text()) || '{}') as {
        error?: string;
        payloads?: Array<{ metadata: Record<string, string>; data: string }>;
      },
    };
  };

  it('refuses ID tokens: wrong typ, ID-token claims, or addressed only to its own client', async () => {
    const idToken = await jwt({ groups: ['hr-acme'], nonce: 'n-123', azp: UI_CLIENT_ID }, 'JWT');
    expect((await post('/decode', idToken, await sealedFor(ACME_RUN))).status).toBe(401);
    expect((await post('/decode', await jwt({ groups: ['hr-acme'] }, null), await sealedFor(ACME_RUN))).status).toBe(401);
    expect((await post('/decode', await jwt({ groups: ['hr-acme'], nonce: 'n-123' }), await sealedFor(ACME_RUN))).status).toBe(401);
    expect((await post('/decode', await jwt({ groups: ['hr-acme'], azp: UI_CLIENT_ID }), await sealedFor(ACME_RUN))).status).toBe(401);
    // The same person's access token works.
    expect((await post('/decode', await jwt({ groups: ['hr-acme'] }), await sealedFor(ACME_RUN))).status).toBe(200);
  });

  it('lets a person decode the tenants their groups map to, and no other; the audit names caller, tenant and workflow', async () => {
    const hrAcme = await jwt({ groups: ['hr-acme'] });
    audit.length = 0;
    const own = await post('/decode', hrAcme, await sealedFor(ACME_RUN));
    expect(own.status).toBe(200);
    expect(Buffer.from(own.json.payloads![0]!.data, 'base64').toString()).toContain(SECRET);
    expect(audit[0]).toMatchObject({
      who: 'oidc:person@example.com (sub user-7)',
      action: 'decode',
      status: 200,
      tenants: ['acme'],
      workflows: [ACME_RUN],
    });

    const other = await post('/decode', hrAcme, await sealedFor(GLOBEX_RUN));
    expect(other).toEqual({ status: 403, json: { error: 'tenant_not_allowed' } });
    expect(audit[1]).toMatchObject({ status: 403, tenants: ['globex'], workflows: [GLOBEX_RUN] });
    // Mixed in one request with an allowed payload: still refused, nothing of globex comes back.
    expect((await post('/decode', hrAcme, [...(await sealedFor(ACME_RUN)), ...(await sealedFor(GLOBEX_RUN))])).status).toBe(403);
    // No group at all: authenticated, allowed nothing.
    expect((await post('/decode', await jwt({}), await sealedFor(ACME_RUN))).status).toBe(403);
    // Payloads of no tenant (the per-domain budget) need every tenant ('*').
    expect((await post('/decode', hrAcme, await sealedFor(BUDGET))).status).toBe(403);
    expect((await post('/decode', CLI_TOKEN, await sealedFor(BUDGET))).status).toBe(200);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
  });

  it('refuses /encode without an encode grant: the CLI token cannot forge a pause for a budget workflow', async () => {
    const pause = [defaultPayloadConverter.toPayload({ forMs: 30 * 24 * 3600_000 })];
    expect(await post('/encode', CLI_TOKEN, pause, { 'x-workflow-id': BUDGET })).toEqual({
      status: 403,
      json: { error: 'encode_not_allowed' },
    });
    expect((await post('/encode', await jwt({ groups: ['hr-acme'] }), pause, { 'x-workflow-id': ACME_RUN })).status).toBe(403);
    // With an encode grant for acme only: not for the budget workflow (no tenant) nor globex, and never without a workflow.
    const encoder = await jwt({ groups: ['ops-encoders'] });
    expect(await post('/encode', encoder, pause, { 'x-workflow-id': BUDGET })).toEqual({
      status: 403,
      json: { error: 'tenant_not_allowed' },
    });
    expect(await post('/encode', encoder, pause, { 'x-workflow-id': GLOBEX_RUN })).toEqual({
      status: 403,
      json: { error: 'tenant_not_allowed' },
    });
    expect(await post('/encode', encoder, pause)).toEqual({ status: 400, json: { error: 'workflow_required' } });
  });

  it('seals what it encodes for the named workflow only: the worker codec refuses it in any other workflow', async () => {
    const encoder = await jwt({ groups: ['ops-encoders'] });
    const sealed = await post('/encode', encoder, [defaultPayloadConverter.toPayload({ forMs: 120_000 })], { 'x-workflow-id': ACME_RUN });
    expect(sealed.status).toBe(200);
    const payload: Payload = {
      metadata: Object.fromEntries(Object.entries(sealed.json.payloads![0]!.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
      data: Buffer.from(sealed.json.payloads![0]!.data, 'base64'),
    };
    expect(Buffer.from(payload.metadata!['encryption-workflow']!).toString()).toBe(ACME_RUN);
    const worker = new StrictDecodingCodec(codec);
    const inOwn = await worker.decode([payload], { type: 'workflow', namespace: 'default', workflowId: ACME_RUN });
    expect(defaultPayloadConverter.fromPayload(inOwn[0]!)).toEqual({ forMs: 120_000 });
    for (const elsewhere of [BUDGET, 'elevo-user-sync/acme/2026-11-21/manual-2', GLOBEX_RUN]) {
      const [refused] = await worker.decode([payload], { type: 'workflow', namespace: 'default', workflowId: elsewhere });
      expect(defaultPayloadConverter.fromPayload(refused!)).toEqual({
        [REFUSED_MARKER_KEY]: elsewhere.includes('/acme/') ? 'other-workflow' : 'other-tenant',
      });
    }
    // Relabelling the metadata to the target workflow breaks the authentication tag.
    const next = 'elevo-user-sync/acme/2026-11-21/manual-2';
    const relabelled = { ...payload, metadata: { ...payload.metadata, 'encryption-workflow': Buffer.from(next) } };
    await expect(worker.decode([relabelled], { type: 'workflow', namespace: 'default', workflowId: next })).rejects.toThrow(
      /does not open/,
    );
  });
});
