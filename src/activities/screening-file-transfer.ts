import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AequivalentClient } from '../integrations/aequivalent/aequivalent-client';
import type { DocumentKind } from '../integrations/aequivalent/aequivalent-schemas';
import type { LuccaClient } from '../integrations/lucca/lucca-client';

export interface FileToTransfer {
  /** Lucca file GUID (not personal data). */
  fileId: string;
  kind: DocumentKind;
}

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

/**
 * Lucca → Aequivalent for one file, without the bytes ever entering a workflow payload.
 * The download goes to a private temporary file first, because Lucca aborts requests that last
 * over 5 s: a slow upload must not hold the Lucca download open. The temporary copy also gives us
 * the size and sha256 up front, so Aequivalent verifies integrity (422 on mismatch). It is deleted
 * in `finally`, whatever happens. The idempotency key makes a retried upload return the first one.
 */
export async function transferFile(options: {
  lucca: LuccaClient;
  aequivalent: AequivalentClient;
  dossierId: string;
  file: FileToTransfer;
  /** Used in the file name Aequivalent shows (opaque id, no name). */
  luccaId: number;
  index: number;
  idempotencyKey: string;
  signal?: AbortSignal;
}): Promise<{ documentId: string; size: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'lc-screening-'));
  const path = join(dir, randomUUID());
  try {
    const download = await options.lucca.downloadFile(options.file.fileId, options.signal);
    const hash = createHash('sha256');
    const hashing = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(download.body, hashing, createWriteStream(path, { mode: 0o600 }));
    const sha256 = hash.digest('hex');
    const { size } = await stat(path);
    const contentType = (download.contentType ?? 'application/octet-stream').split(';')[0]!.trim();
    const extension = EXTENSIONS[contentType] ?? 'bin';
    const fileName = options.file.kind === 'cv' ? `cv-${options.luccaId}.${extension}` : `document-${options.luccaId}-${options.index}.${extension}`;
    const document = await options.aequivalent.uploadDocument(
      options.dossierId,
      { kind: options.file.kind, fileName, contentType, body: createReadStream(path), size, sha256 },
      options.idempotencyKey,
    );
    return { documentId: document.id, size };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
