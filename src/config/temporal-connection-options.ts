import type { TLSConfig } from '@temporalio/client';
import type { TemporalConfig } from './config-schema';

/** Accepted as is by both `Connection.connect` (client) and `NativeConnection.connect` (worker). */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
}

/**
 * The one place where `temporal.tls` and `temporal.apiKey` become connection options, for every
 * process that connects (worker, CLI, webhook receiver, tests). `secret` resolves a secret reference
 * (relative to the config file); PEM text is passed to the SDK as bytes.
 */
export function temporalConnectionOptions(
  temporal: TemporalConfig,
  address: string,
  secret: (reference: string) => string,
): TemporalConnectionOptions {
  const options: TemporalConnectionOptions = { address };
  const tls = temporal.tls;
  if (tls) {
    const pem = (reference: string) => Buffer.from(secret(reference) + '\n', 'utf8');
    options.tls = {
      ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
      ...(tls.caCertificate ? { serverRootCACertificate: pem(tls.caCertificate) } : {}),
      ...(tls.clientCertificate && tls.clientKey ? { clientCertPair: { crt: pem(tls.clientCertificate), key: pem(tls.clientKey) } } : {}),
    };
  }
  if (temporal.apiKey) {
    options.apiKey = secret(temporal.apiKey);
    // Temporal Cloud only accepts API keys over TLS (system roots when no CA is configured).
    options.tls ??= true;
  }
  return options;
}

/** What the connection uses, for logs and error messages: never a secret. */
export function describeTemporalSecurity(options: TemporalConnectionOptions): string {
  if (options.apiKey) return 'TLS + API key';
  if (options.tls && typeof options.tls === 'object' && options.tls.clientCertPair) return 'mutual TLS';
  return options.tls ? 'TLS' : 'no TLS';
}
