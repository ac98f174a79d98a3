import { Readable } from 'node:stream';
import { IntegrationError } from '../../../src/integrations/http/integration-error';
import {
  AequivalentChecksumMismatchError,
  AequivalentIdempotencyKeyReusedError,
} from '../../../src/connectors/aequivalent-screening/aequivalent/client';
import type { AequivalentSandbox } from '../../../dev/simulators/aequivalent/aequivalent-sandbox';
import { clientFor, dossierRequest, generatedFile, startAcmeSandbox } from './aequivalent-test-kit';

describe('AequivalentClient against the sandbox', () => {
  let sandbox: AequivalentSandbox;
  beforeAll(async () => {
    sandbox = await startAcmeSandbox();
  });
  afterAll(async () => {
    await sandbox.stop();
  });
  afterEach(() => {
    sandbox.setFaults({ reset: true });
  });

  it('creates a dossier once for the same idempotency key', async () => {
    const client = clientFor(sandbox);
    const before = sandbox.stats('acme').dossiersCreated;
    const first = await client.createDossier(dossierRequest('acme:order:1'), 'acme:order:1:create');
    const second = await client.createDossier(dossierRequest('acme:order:1'), 'acme:order:1:create');
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.dossier.id).toBe(first.dossier.id);
    expect(first.dossier).toMatchObject({ status: 'created', result: null, externalReference: 'acme:order:1', documents: [] });
    expect(sandbox.stats('acme').dossiersCreated).toBe(before + 1);
    expect(sandbox.dossiers('acme').filter((d) => d.externalReference === 'acme:order:1')).toHaveLength(1);
  });

  it('refuses the same key with another body (422), without retrying', async () => {
    const client = clientFor(sandbox);
    await client.createDossier(dossierRequest('acme:order:2'), 'acme:order:2:create');
    const sent = client.requestCount;
    const err = await client.createDossier(dossierRequest('acme:order:2', { package: 'Executive' }), 'acme:order:2:create').catch((e) => e);
    expect(err).toBeInstanceOf(AequivalentIdempotencyKeyReusedError);
    expect(err).toMatchObject({ kind: 'bad-request', status: 422, retryable: false, failureType: 'AequivalentIdempotencyKeyReusedError' });
    expect(client.requestCount).toBe(sent + 1);
  });

  it('streams a 5 MB upload whose sha256 the sandbox checks, and does not duplicate a retried upload', async () => {
    const client = clientFor(sandbox);
    const { dossier } = await client.createDossier(dossierRequest('acme:order:3'), 'acme:order:3:create');
    const size = 5 * 1024 * 1024;
    const file = generatedFile(size);
    const doc = await client.uploadDocument(
      dossier.id,
      { kind: 'cv', fileName: 'CV Camille Moreau é.pdf', contentType: 'application/pdf', body: file.stream, size },
      'acme:order:3:cv',
    );
    expect(doc).toMatchObject({
      kind: 'cv',
      fileName: 'CV Camille Moreau é.pdf',
      contentType: 'application/pdf',
      size,
      sha256: file.sha256(),
    });

    // A retry (same key, same bytes, this time without a known size) returns the same document.
    const again = generatedFile(size);
    const replay = await client.uploadDocument(
      dossier.id,
      { kind: 'cv', fileName: 'CV Camille Moreau é.pdf', contentType: 'application/pdf', body: again.stream },
      'acme:order:3:cv',
    );
    expect(replay.id).toBe(doc.id);
    expect((await client.getDossier(dossier.id)).documents).toHaveLength(1);

    const other = await client.uploadDocument(
      dossier.id,
      { kind: 'other', fileName: 'diplome.pdf', contentType: 'application/pdf', body: Readable.from([Buffer.from('%PDF-1.4 small')]) },
      'acme:order:3:other:0',
    );
    expect(other.kind).toBe('other');
    expect((await client.getDossier(dossier.id)).documents.map((d) => d.kind)).toEqual(['cv', 'other']);
  });

  it('lets the sandbox refuse bytes that do not match the declared sha256', async () => {
    const client = clientFor(sandbox);
    const { dossier } = await client.createDossier(dossierRequest('acme:order:4'), 'acme:order:4:create');
    const err = await client
      .uploadDocument(
        dossier.id,
        {
          kind: 'cv',
          fileName: 'cv.pdf',
          contentType: 'application/pdf',
          body: Readable.from([Buffer.from('abc')]),
          sha256: 'f'.repeat(64),
        },
        'k4',
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(AequivalentChecksumMismatchError);
    expect((await client.getDossier(dossier.id)).documents).toHaveLength(0);
  });

  it('stores nothing when the source stream fails mid-upload', async () => {
    const client = clientFor(sandbox);
    const { dossier } = await client.createDossier(dossierRequest('acme:order:9'), 'acme:order:9:create');
    let sent = 0;
    const failing = new Readable({
      read() {
        sent += 1;
        if (sent > 20) return void this.destroy(new Error('Lucca download interrupted'));
        this.push(Buffer.alloc(64 * 1024, 1));
      },
    });
    await expect(
      client.uploadDocument(dossier.id, { kind: 'cv', fileName: 'cv.pdf', contentType: 'application/pdf', body: failing }, 'k9'),
    ).rejects.toThrow();
    await new Promise((r) => setImmediate(r));
    expect((await client.getDossier(dossier.id)).documents).toHaveLength(0);
  });

  it('refuses documents for a finished dossier (409)', async () => {
    const client = clientFor(sandbox);
    const { dossier } = await client.createDossier(dossierRequest('acme:order:10'), 'acme:order:10:create');
    await client.cancelDossier(dossier.id);
    await expect(
      client.uploadDocument(dossier.id, {
        kind: 'other',
        fileName: 'x.pdf',
        contentType: 'application/pdf',
        body: Readable.from([Buffer.from('x')]),
      }),
    ).rejects.toMatchObject({ kind: 'conflict', status: 409 });
  });

  it('gets, finds by external reference and cancels', async () => {
    const client = clientFor(sandbox);
    const { dossier } = await client.createDossier(dossierRequest('acme:order:5'), 'acme:order:5:create');
    expect((await client.getDossier(dossier.id)).id).toBe(dossier.id);
    expect((await client.findByExternalReference('acme:order:5')).map((d) => d.id)).toEqual([dossier.id]);
    expect(await client.findByExternalReference('acme:order:none')).toEqual([]);

    const cancelled = await client.cancelDossier(dossier.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.statusHistory.map((h) => h.status)).toEqual(['created', 'cancelled']);
    expect((await client.cancelDossier(dossier.id)).status).toBe('cancelled'); // a retried cancel is fine

    const done = await client.createDossier(dossierRequest('acme:order:6'), 'acme:order:6:create');
    sandbox.advance('acme', done.dossier.id, 'candidate_invited');
    sandbox.advance('acme', done.dossier.id, 'consent_refused');
    await expect(client.cancelDossier(done.dossier.id)).rejects.toMatchObject({ kind: 'conflict', status: 409, retryable: false });
  });

  it('reports an unknown dossier as not-found', async () => {
    await expect(clientFor(sandbox).getDossier('dos_missing')).rejects.toMatchObject({ kind: 'not-found', retryable: false });
  });

  it('fails at once, without retries, on a bad API key', async () => {
    const client = clientFor(sandbox, 'not-the-key');
    const before = sandbox.stats('acme').requests;
    const err = await client.findByExternalReference('x').catch((e) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ kind: 'authentication', status: 401, retryable: false, failureType: 'AequivalentAuthenticationError' });
    expect(String(err.message)).not.toContain('not-the-key');
    expect(sandbox.stats('acme').requests).toBe(before + 1);
  });

  it('retries 5xx answers and succeeds', async () => {
    const client = clientFor(sandbox);
    const { dossier } = await client.createDossier(dossierRequest('acme:order:7'), 'acme:order:7:create');
    sandbox.setFaults({
      script: [
        { kind: 'error', status: 503 },
        { kind: 'error', status: 502 },
      ],
    });
    const sent = client.requestCount;
    expect((await client.getDossier(dossier.id)).id).toBe(dossier.id);
    expect(client.requestCount).toBe(sent + 3);
  });

  it('retries a create that hit a 500 without creating twice', async () => {
    const client = clientFor(sandbox);
    const before = sandbox.stats('acme').dossiersCreated;
    sandbox.setFaults({ script: [{ kind: 'error', status: 500 }] });
    const { created } = await client.createDossier(dossierRequest('acme:order:8'), 'acme:order:8:create');
    expect(created).toBe(true);
    expect(sandbox.stats('acme').dossiersCreated).toBe(before + 1);
  });

  it('gives up with a retryable error when 5xx persist', async () => {
    const client = clientFor(sandbox);
    sandbox.setFaults({ errorRate: 1, errorStatuses: [503] });
    await expect(client.findByExternalReference('x')).rejects.toMatchObject({ kind: 'server', retryable: true });
  });
});
