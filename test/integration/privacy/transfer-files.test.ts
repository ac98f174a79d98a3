import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApplicationFailure } from '@temporalio/common';
import { transferFile } from '../../../src/activities/aequivalent-screening/screening-file-transfer';
import { MAX_DOCUMENT_BYTES } from '../../../src/activities/aequivalent-screening/screening-document-policy';
import { createTransferDir, sweepLeftoverTransferFiles } from '../../../src/activities/transfer-temp-files';
import { LuccaClient } from '../../../src/integrations/lucca/lucca-client';
import type { AequivalentSandbox } from '../../../dev/simulators/aequivalent';
import { startConnectorHarness } from '../../support/connector-harness';
import { clientFor, dossierRequest, startAcmeSandbox } from '../aequivalent/aequivalent-test-kit';

/**
 * Files on their way Lucca → Aequivalent: only allowed document types, cut at the size limit
 * (declared or counted), uploaded for real to the Aequivalent simulator when they pass; and the
 * temporary copies a killed worker left behind are swept when a worker starts.
 */
const CAP = 4 * 1024;
const GUID = {
  'small-pdf': '00000000-0000-4000-8000-000000000001',
  'declared-too-big': '00000000-0000-4000-8000-000000000002',
  'chunked-too-big': '00000000-0000-4000-8000-000000000003',
  'html-page': '00000000-0000-4000-8000-000000000004',
  'no-type': '00000000-0000-4000-8000-000000000005',
} as const;

describe('screening file transfer limits', () => {
  let files: Server;
  let filesUrl: string;
  let aequivalent: AequivalentSandbox;
  let dossierId: string;
  let root: string;
  const served: Record<string, { type: string; bytes: number; declare: boolean }> = {
    'small-pdf': { type: 'application/pdf', bytes: 1_000, declare: true },
    'declared-too-big': { type: 'application/pdf', bytes: CAP + 1, declare: true },
    'chunked-too-big': { type: 'application/pdf', bytes: 10 * CAP, declare: false },
    'html-page': { type: 'text/html; charset=utf-8', bytes: 100, declare: true },
    'no-type': { type: '', bytes: 100, declare: true },
  };

  beforeAll(async () => {
    // Stands in for Lucca's /api/v3/files/{guid}, including a server that sends no Content-Length.
    files = createServer((req, res) => {
      const name = Object.entries(GUID).find(([, guid]) => guid === (req.url ?? '').split('/').pop())?.[0];
      const file = name ? served[name] : undefined;
      if (!file) return void res.writeHead(404).end();
      const headers: Record<string, string> = file.type ? { 'content-type': file.type } : {};
      if (file.declare) headers['content-length'] = String(file.bytes);
      res.writeHead(200, headers);
      const chunk = Buffer.alloc(1024, 7);
      let left = file.bytes;
      const pump = () => {
        while (left > 0) {
          const part = chunk.subarray(0, Math.min(1024, left));
          left -= part.length;
          if (!res.write(part)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    aequivalent = await startAcmeSandbox();
    dossierId = (
      await clientFor(aequivalent).createDossier(dossierRequest(`screening-order/acme/1/${randomUUID().slice(0, 8)}`), randomUUID())
    ).dossier.id;
    root = mkdtempSync(join(tmpdir(), 'lc-transfer-test-'));
  });
  afterAll(async () => {
    await new Promise((r) => files?.close(r));
    await aequivalent?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const transfer = (name: keyof typeof GUID) =>
    transferFile({
      lucca: new LuccaClient({ tenantId: 'acme', baseUrl: filesUrl, apiKey: randomUUID(), retry: { maxAttempts: 1 } }),
      aequivalent: clientFor(aequivalent),
      dossierId,
      file: { fileId: GUID[name], kind: 'cv' },
      luccaId: 1,
      index: 0,
      idempotencyKey: `k-${randomUUID()}`,
      maxBytes: CAP,
      tempRoot: root,
    });
  const failureType = (err: unknown) => (err as ApplicationFailure).type;

  it('uploads an allowed document under the limit (the control)', async () => {
    expect(await transfer('small-pdf')).toMatchObject({ size: 1_000 });
    expect(aequivalent.dossiers('acme').find((d) => d.id === dossierId)!.documents).toHaveLength(1);
  });

  it('refuses a file whose Content-Length is over the limit, before storing anything', async () => {
    expect(failureType(await transfer('declared-too-big').catch((e: unknown) => e))).toBe('ScreeningFileTooLarge');
  });

  it('cuts a download without Content-Length once the counted bytes pass the limit', async () => {
    const err = (await transfer('chunked-too-big').catch((e: unknown) => e)) as ApplicationFailure;
    expect(failureType(err)).toBe('ScreeningFileTooLarge');
    expect(err.nonRetryable).toBe(true);
  });

  it.each(['html-page', 'no-type'] as const)('refuses a content type off the allow-list (%s)', async (name) => {
    expect(failureType(await transfer(name).catch((e: unknown) => e))).toBe('ScreeningFileTypeNotAllowed');
  });

  it('leaves no temporary copy behind, whatever happened, and nothing but the one document reached Aequivalent', () => {
    expect(readdirSync(root)).toEqual([]);
    expect(aequivalent.dossiers('acme').find((d) => d.id === dossierId)!.documents).toHaveLength(1);
  });

  it('limits downloads to the contract’s 50 MB by default', () => {
    expect(MAX_DOCUMENT_BYTES).toBe(50 * 1024 * 1024);
  });
});

describe('leftover transfer files', () => {
  it('a worker start sweeps the copies of a killed process and keeps those of live ones', async () => {
    // A process that ran and exited: its pid is free, as after a SIGKILL mid-transfer.
    const deadPid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const leftover = join(tmpdir(), `lc-screening-${deadPid}-zz0dead-${randomUUID().slice(0, 6)}`);
    mkdirSync(leftover);
    writeFileSync(join(leftover, 'cv'), 'plaintext CV bytes', { mode: 0o600 });
    // An older release's naming, older than the transfer limit.
    const oldScheme = mkdtempSync(join(tmpdir(), 'lc-screening-'));
    const hoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(oldScheme, hoursAgo, hoursAgo);
    const liveOther = join(tmpdir(), `lc-screening-${process.ppid}-zz0live-${randomUUID().slice(0, 6)}`);
    mkdirSync(liveOther);
    const ours = await createTransferDir();
    try {
      const harness = await startConnectorHarness({
        tenants: () => [{ id: 'sweep', luccaBaseUrl: 'http://127.0.0.1:9', luccaApiKey: randomUUID() }],
      });
      await harness.stop();
      expect(existsSync(leftover)).toBe(false);
      expect(existsSync(oldScheme)).toBe(false);
      expect(existsSync(liveOther)).toBe(true);
      expect(existsSync(ours)).toBe(true);
      await sweepLeftoverTransferFiles(); // again: the live ones still stay
      expect(existsSync(liveOther) && existsSync(ours)).toBe(true);
    } finally {
      for (const dir of [leftover, oldScheme, liveOther, ours]) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps an older release’s directory while it is recent (that worker may still be transferring)', async () => {
    // A private root: other processes on this machine sweep the shared temporary directory too.
    const root = mkdtempSync(join(tmpdir(), 'lc-sweep-root-'));
    try {
      const recent = mkdtempSync(join(root, 'lc-screening-'));
      const old = mkdtempSync(join(root, 'lc-screening-'));
      const hoursAgo = new Date(Date.now() - 2 * 3600_000);
      utimesSync(old, hoursAgo, hoursAgo);
      expect(await sweepLeftoverTransferFiles(root)).toBe(1);
      expect([existsSync(recent), existsSync(old)]).toEqual([true, false]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
