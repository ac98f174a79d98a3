import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AequivalentClient } from '../../connectors/aequivalent-screening/aequivalent/client';
import type { DocumentKind } from '../../connectors/aequivalent-screening/aequivalent/schemas';
import type { LuccaClient } from '../../integrations/lucca/lucca-client';
import {
  allowedDocumentType,
  DOCUMENT_EXTENSIONS,
  documentTooLarge,
  documentTypeRefused,
  MAX_DOCUMENT_BYTES,
} from './screening-document-policy';
import { createTransferDir } from '../transfer-temp-files';

export interface FileToTransfer {
  /** Lucca file GUID (not personal data). */
  fileId: string;
  kind: DocumentKind;
}

/**
 * Lucca → Aequivalent for one file, without the bytes ever entering a workflow payload.
 * The download goes to a private temporary file first, because Lucca aborts requests that last
 * over 5 s: a slow upload must not hold the Lucca download open. The temporary copy also gives us
 * the size and sha256 up front, so Aequivalent verifies integrity (422 on mismatch). It is deleted
 * in `finally`, whatever happens (and swept at the next worker start if the process was killed).
 * Only allowed document types are fetched, and the download is cut at Aequivalent's size limit,
 * whatever Content-Length says. The idempotency key makes a retried upload return the first one.
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
  /** Default: Aequivalent's 50 MB. */
  maxBytes?: number;
  /** Default: the OS temporary directory. */
  tempRoot?: string;
}): Promise<{ documentId: string; size: number }> {
  const maxBytes = options.maxBytes ?? MAX_DOCUMENT_BYTES;
  const { fileId } = options.file;
  const dir = await createTransferDir(options.tempRoot);
  const path = join(dir, randomUUID());
  try {
    const download = await options.lucca.downloadFile(fileId, options.signal);
    const contentType = allowedDocumentType(download.contentType);
    if (!contentType || (download.contentLength ?? 0) > maxBytes) {
      download.body.once('error', () => undefined); // the abort this causes is expected
      download.body.destroy();
      throw contentType ? documentTooLarge(fileId, maxBytes) : documentTypeRefused(fileId, download.contentType);
    }
    const hash = createHash('sha256');
    let received = 0;
    const countingHash = new Transform({
      transform(chunk: Buffer, _enc, done) {
        received += chunk.length;
        // Counted, not trusted: a missing or lying Content-Length cannot push past the limit.
        if (received > maxBytes) return done(documentTooLarge(fileId, maxBytes));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(download.body, countingHash, createWriteStream(path, { mode: 0o600 }));
    const sha256 = hash.digest('hex');
    const { size } = await stat(path);
    const extension = DOCUMENT_EXTENSIONS[contentType]!;
    const fileName =
      options.file.kind === 'cv' ? `cv-${options.luccaId}.${extension}` : `document-${options.luccaId}-${options.index}.${extension}`;
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
