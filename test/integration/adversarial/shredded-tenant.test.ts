import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { request } from 'undici';
import { AesGcmPayloadCodec } from '../../../src/codec/aes-gcm-payload-codec';
import { startCodecServer, type RunningCodecServer } from '../../../src/codec/codec-server';
import { tenantPayloadKeys } from '../../../src/runtime/tenant-payload-keys';
import { FilesystemArtifactBlobs } from '../../../src/storage/filesystem-artifact-blobs';
import { SealedArtifactStore } from '../../../src/storage/sealed-artifact-store';

/**
 * Shredding reaches every running process (docs/threat-model.md): a worker and a codec server that
 * read the tenant's key material before `shred-tenant` ran elsewhere stop decoding and sealing its
 * data once their key-material cache lifetime has passed (30 s in production, 300 ms here), and no
 * process creates new material for the tenant. Three stores over one directory stand for three
 * processes (the worker, the codec server, the CLI).
 */
const CACHE_MS = 300;
const RUN = 'elevo-user-sync/acme/2026-11-20/manual-1';
const OTHER = 'elevo-user-sync/globex/2026-11-20/manual-1';
const CLI_TOKEN = 'shred-test-token';

describe('a shredded tenant is gone from every running process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-shred-'));
  const key = [{ id: 'k1', key: randomBytes(32) }];
  const processWith = (createsMaterial: boolean) => {
    const codec = new AesGcmPayloadCodec(key);
    const store = new SealedArtifactStore(new FilesystemArtifactBlobs(dir), codec.artifactCipher, undefined, CACHE_MS);
    codec.useTenantKeys(tenantPayloadKeys(() => ['acme', 'globex'], store, createsMaterial));
    return { codec, store };
  };
  const worker = processWith(true);
  const codecServerProcess = processWith(false);
  const cli = processWith(false);
  let server: RunningCodecServer;

  beforeAll(async () => {
    server = await startCodecServer({
      codec: codecServerProcess.codec,
      auth: { tokens: [{ name: 'ops', token: CLI_TOKEN }] },
      allowedOrigins: [],
      port: 0,
    });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const seal = (codec: AesGcmPayloadCodec, workflowId: string) =>
    codec.encode([defaultPayloadConverter.toPayload({ name: 'Lemoine' })], { type: 'workflow', namespace: 'default', workflowId });
  const decodeViaServer = async (payloads: Payload[]) => {
    const body = JSON.stringify({
      payloads: payloads.map((p) => ({
        metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
        data: Buffer.from(p.data!).toString('base64'),
      })),
    });
    const res = await request(`${server.url}/decode`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLI_TOKEN}`, 'content-type': 'application/json' },
      body,
    });
    await res.body.dump();
    return res.statusCode;
  };

  it('stops decoding in the codec server and the worker, and sealing in the worker, within the cache lifetime', async () => {
    const sealed = await seal(worker.codec, RUN);
    const other = await seal(worker.codec, OTHER);
    expect(await decodeViaServer(sealed)).toBe(200);
    await expect(worker.codec.decode(sealed, { type: 'workflow', namespace: 'default', workflowId: RUN })).resolves.toHaveLength(1);

    // Both processes read the material before the shred starts: once one cache lifetime has passed
    // since then, neither may use it (waiting for one process alone left the other's cache fresh).
    const shredStartedAt = performance.now();
    await cli.store.shredTenant('acme');
    await delay(Math.max(0, shredStartedAt + CACHE_MS + 20 - performance.now()));

    expect(await decodeViaServer(sealed)).toBe(422);
    await expect(worker.codec.decode(sealed, { type: 'workflow', namespace: 'default', workflowId: RUN })).rejects.toThrow(/was shredded/);
    // Nothing is sealed for it again: not under new material, not under the shared key.
    await expect(seal(worker.codec, RUN)).rejects.toThrow(/was shredded/);
    expect(readFileSync(join(dir, '.tenant-keys', 'acme'))).toHaveLength(0);
    // Other tenants are untouched.
    expect(await decodeViaServer(other)).toBe(200);
  });
});
