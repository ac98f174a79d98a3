import { ApplicationFailure } from '@temporalio/common';

/**
 * What a file must be to travel Lucca → Aequivalent: the Aequivalent orders contract refuses
 * documents over 50 MB (413 `document_too_large`), so a download is cut there rather than after
 * storing it; and only document and image types are accepted (file name extension by type).
 */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;

export const DOCUMENT_EXTENSIONS: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

/** The media type without parameters, if it is on the allow-list. */
export function allowedDocumentType(header: string | undefined): string | undefined {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  return type in DOCUMENT_EXTENSIONS ? type : undefined;
}

export function documentTooLarge(fileId: string, maxBytes: number): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `Lucca file ${fileId} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB (Aequivalent's limit): not transferred`,
    'ScreeningFileTooLarge',
  );
}

export function documentTypeRefused(fileId: string, header: string | undefined): ApplicationFailure {
  const shown = /^[\w.+-]{1,60}\/[\w.+-]{1,100}/.exec(header ?? '')?.[0] ?? 'none';
  return ApplicationFailure.nonRetryable(
    `Lucca file ${fileId} has content type ${shown}, not an allowed document type: not transferred`,
    'ScreeningFileTypeNotAllowed',
  );
}
