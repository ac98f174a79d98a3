import { Transform, type Readable } from 'node:stream';

/**
 * Response bodies are read into memory (JSON) or streamed on (files): a misbehaving or hostile
 * endpoint must not exhaust a worker's memory. Past the cap, reading stops and the connection is dropped.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** Files stream through (never held whole); Lucca refuses bodies over 100 MB, so nothing legitimate is larger. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024;

export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`response body larger than ${maxBytes} bytes`);
  }
}

/** Whether a declared Content-Length already exceeds the cap (the body is then not read at all). */
export function declaredTooLarge(contentLength: string | string[] | undefined, maxBytes: number): boolean {
  const declared = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
  return Number.isFinite(declared) && declared > maxBytes;
}

/** The whole body as text, or ResponseTooLargeError as soon as it passes `maxBytes` (the body is destroyed). */
export async function readCappedText(body: Readable & AsyncIterable<Buffer>, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new ResponseTooLargeError(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The body streamed through a counter that fails the stream once it passes `maxBytes`. */
export function cappedStream(body: Readable, maxBytes: number): Readable {
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new ResponseTooLargeError(maxBytes));
      done(null, chunk);
    },
  });
  body.on('error', (err) => counter.destroy(err));
  counter.on('close', () => body.destroy());
  return body.pipe(counter);
}
