import type { PayloadCodec } from '@temporalio/common';
import { startCodecServer } from '../../src/codec/codec-server';

/**
 * The codec server as `npm start` runs it for the local Web UI (loopback-only unauthenticated
 * mode), on a free port, answering the given UI origins.
 */
export async function startUiCodecServer(codec: PayloadCodec, uiOrigins: string[]): Promise<{ uiEndpoint: string; stop(): Promise<void> }> {
  return startCodecServer({ codec, auth: {}, localUnauthenticated: true, host: '127.0.0.1', allowedOrigins: uiOrigins, port: 0 });
}
