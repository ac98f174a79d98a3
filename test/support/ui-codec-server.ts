import { randomBytes } from 'node:crypto';
import type { PayloadCodec } from '@temporalio/common';
import { startCodecServer } from '../../src/codec/codec-server';

/**
 * The codec server as `npm start` runs it for the local Web UI, on a free port, answering the
 * given UI origins. (Kept in one place: the codec server's authentication options evolve.)
 */
export async function startUiCodecServer(codec: PayloadCodec, uiOrigins: string[]): Promise<{ uiEndpoint: string; stop(): Promise<void> }> {
  return startCodecServer({ codec, token: randomBytes(24).toString('hex'), allowedOrigin: uiOrigins[0]!, port: 0 });
}
