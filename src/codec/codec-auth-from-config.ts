import type { ConnectorsConfig } from '../config/config-schema';
import type { CodecAuthOptions } from './codec-authenticator';

type CodecServerSettings = NonNullable<ConnectorsConfig['encryption']['codecServer']>;

/** The codec server's callers from `encryption.codecServer`: OIDC for people, named tokens for the CLI and automation. */
export function codecAuthFromConfig(settings: CodecServerSettings, resolveSecret: (reference: string) => string): CodecAuthOptions {
  const tokens = settings.tokens.map((t) => ({ name: t.name, token: resolveSecret(t.token), tenants: t.tenants, encode: t.encode }));
  if (settings.token) tokens.push({ name: 'operators', token: resolveSecret(settings.token), tenants: ['*'], encode: false });
  return { ...(settings.oidc ? { oidc: settings.oidc } : {}), access: settings.access, tokens };
}
