import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { describeTemporalSecurity, type TemporalConnectionOptions } from '../config/temporal-connection-options';
import { GrpcStatus, grpcCode } from './grpc-status';
import { probeTransport } from './transport-probe';

/** The Temporal server could not be reached or refused us: one line saying which, and what to check. */
export class TemporalConnectionError extends Error {
  override readonly name = 'TemporalConnectionError';
}

/** A client connection (CLI, webhook receiver), checked with one call so that a refusal shows at once. */
export async function openClientConnection(options: TemporalConnectionOptions): Promise<Connection> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ ...options, connectTimeout: '5 seconds' });
    await connection.workflowService.getSystemInfo({});
    return connection;
  } catch (err) {
    await connection?.close().catch(() => undefined);
    throw new TemporalConnectionError(await explainConnectionFailure(err, options));
  }
}

/** The worker's connection (Rust core), checked the same way. */
export async function openWorkerConnection(options: TemporalConnectionOptions): Promise<NativeConnection> {
  let connection: NativeConnection | undefined;
  try {
    connection = await NativeConnection.connect(options);
    await connection.workflowService.getSystemInfo({});
    return connection;
  } catch (err) {
    await connection?.close().catch(() => undefined);
    throw new TemporalConnectionError(await explainConnectionFailure(err, options));
  }
}

/**
 * Turns a connection failure into one line: refused credentials (API key), refused or mismatched
 * TLS (with the reason a TLS probe finds), or no answer. Never includes a secret: only the
 * address, the kind of security and the transport's reason.
 */
export async function explainConnectionFailure(err: unknown, options: TemporalConnectionOptions): Promise<string> {
  const where = `the Temporal server at ${options.address} (${describeTemporalSecurity(options)})`;
  const code = grpcCode(err);
  if (code === GrpcStatus.UNAUTHENTICATED || code === GrpcStatus.PERMISSION_DENIED) {
    return `${where} refused our credentials: ${shortReason(err)} — check temporal.apiKey, or what the client certificate is allowed`;
  }
  const diagnosis = await probeTransport(options).catch(() => undefined);
  if (diagnosis?.startsWith('nothing accepts'))
    return `${where} does not answer: ${diagnosis} — is it running? (temporal.address, or LUCCA_CONNECTORS_TEMPORAL_ADDRESS)`;
  if (diagnosis) return `${where} refused the connection: ${diagnosis}`;
  return `${where} does not answer: ${shortReason(err)} — is it running? (temporal.address, or LUCCA_CONNECTORS_TEMPORAL_ADDRESS)`;
}

/** The innermost transport reason, on one line and bounded. */
function shortReason(err: unknown): string {
  const messages: string[] = [];
  for (let e: unknown = err; e instanceof Error && messages.length < 5; e = (e as { cause?: unknown }).cause) messages.push(e.message);
  const text = messages.join(': ').replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text || 'unknown error';
}
