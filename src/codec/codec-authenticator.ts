import { createHash, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { request } from 'undici';
import { z } from 'zod';

/**
 * Who may use the codec server. People come through the Temporal UI, which forwards their OIDC
 * access token (`TEMPORAL_CODEC_PASS_ACCESS_TOKEN=true`): a JWT checked against the issuer's JWKS
 * (signature, issuer, audience, expiry) with `jose`. The CLI and automation present a named bearer
 * token. Credentials only ever travel in the Authorization header, never in a URL.
 */
export interface OidcSettings {
  issuer: string;
  audience: string;
  /** Default: `jwks_uri` of the issuer's `/.well-known/openid-configuration`. */
  jwksUri?: string;
}

export interface CodecAuthOptions {
  oidc?: OidcSettings;
  /** Bearer tokens of the CLI and automation, by name (the name is what the audit log shows). */
  tokens?: ReadonlyArray<{ name: string; token: string }>;
}

/** What the audit log records about the caller (never the credential). */
export interface CodecCaller {
  kind: 'oidc' | 'token' | 'local';
  who: string;
}

export type CodecAuthenticator = (authorization: string | undefined) => Promise<CodecCaller | undefined>;

const discoverySchema = z.object({ jwks_uri: z.string().url() });

export function createCodecAuthenticator(options: CodecAuthOptions): CodecAuthenticator {
  const tokens = (options.tokens ?? []).map((t) => ({ name: t.name, digest: digest(t.token) }));
  const verifyJwt = options.oidc ? createJwtVerifier(options.oidc) : undefined;
  return async (authorization) => {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!presented) return undefined;
    const presentedDigest = digest(presented);
    // Every configured token is compared (constant time), so timing does not tell which one matched.
    const named = tokens.filter((t) => timingSafeEqual(t.digest, presentedDigest));
    if (named.length > 0) return { kind: 'token', who: named[0]!.name };
    if (!verifyJwt || presented.split('.').length !== 3) return undefined;
    const claims = await verifyJwt(presented).catch(() => undefined);
    return claims ? { kind: 'oidc', who: personOf(claims) } : undefined;
  };
}

function createJwtVerifier(oidc: OidcSettings): (jwt: string) => Promise<JWTPayload> {
  let keySet: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const keys = () => {
    keySet ??= jwksUriOf(oidc).then((uri) => createRemoteJWKSet(new URL(uri)));
    // A failed discovery is retried on the next request rather than cached.
    keySet.catch(() => (keySet = undefined));
    return keySet;
  };
  return async (jwt) => {
    const { payload } = await jwtVerify(jwt, await keys(), {
      issuer: oidc.issuer,
      audience: oidc.audience,
      requiredClaims: ['exp', 'sub'],
      clockTolerance: 30,
    });
    return payload;
  };
}

async function jwksUriOf(oidc: OidcSettings): Promise<string> {
  if (oidc.jwksUri) return oidc.jwksUri;
  const res = await request(`${oidc.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, { headersTimeout: 5_000, bodyTimeout: 5_000 });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new Error(`OIDC discovery of ${oidc.issuer} answered ${res.statusCode}`);
  }
  return discoverySchema.parse(await res.body.json()).jwks_uri;
}

function personOf(claims: JWTPayload): string {
  const name = [claims.preferred_username, claims.email].find((v): v is string => typeof v === 'string' && v !== '');
  return name ? `${name} (sub ${claims.sub})` : `sub ${claims.sub}`;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
