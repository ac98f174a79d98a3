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
  /** The claim with the person's groups (default `groups`). */
  groupsClaim?: string;
  /** Accepted `typ` headers (default `at+jwt`, `application/at+jwt`): ID tokens are refused. */
  accessTokenTypes?: readonly string[];
}

/** What a caller may do: decode `tenants` (`'*'`: all, and payloads of no tenant); seal for a named workflow. */
export interface CodecGrant {
  tenants: readonly string[];
  encode: boolean;
}

export interface CodecAuthOptions {
  oidc?: OidcSettings;
  /** OIDC group → grant (a person in several groups gets the union). */
  access?: ReadonlyArray<CodecGrant & { group: string }>;
  /** Bearer tokens of the CLI and automation, by name (the name is what the audit log shows); default grant: decode all tenants. */
  tokens?: ReadonlyArray<{ name: string; token: string } & Partial<CodecGrant>>;
}

/** What the audit log records about the caller (never the credential), and what they may do. */
export interface CodecCaller extends CodecGrant {
  kind: 'oidc' | 'token' | 'local';
  who: string;
}

export type CodecAuthenticator = (authorization: string | undefined) => Promise<CodecCaller | undefined>;

const discoverySchema = z.object({ jwks_uri: z.string().url() });

export function createCodecAuthenticator(options: CodecAuthOptions): CodecAuthenticator {
  const tokens = (options.tokens ?? []).map((t) => ({
    name: t.name,
    digest: digest(t.token),
    grant: { tenants: t.tenants ?? ['*'], encode: t.encode ?? false },
  }));
  const verifyJwt = options.oidc ? createJwtVerifier(options.oidc) : undefined;
  const grantOf = (claims: JWTPayload) => grantOfGroups(groupsOf(claims, options.oidc?.groupsClaim ?? 'groups'), options.access ?? []);
  return async (authorization) => {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!presented) return undefined;
    const presentedDigest = digest(presented);
    // Every configured token is compared (constant time), so timing does not tell which one matched.
    const named = tokens.filter((t) => timingSafeEqual(t.digest, presentedDigest));
    if (named.length > 0) return { kind: 'token', who: named[0]!.name, ...named[0]!.grant };
    if (!verifyJwt || presented.split('.').length !== 3) return undefined;
    const claims = await verifyJwt(presented).catch(() => undefined);
    return claims ? { kind: 'oidc', who: personOf(claims), ...grantOf(claims) } : undefined;
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
    }).then((verified) => {
      refuseIdTokens(verified.protectedHeader.typ, verified.payload, oidc.accessTokenTypes ?? ['at+jwt', 'application/at+jwt']);
      return verified;
    });
    return payload;
  };
}

async function jwksUriOf(oidc: OidcSettings): Promise<string> {
  if (oidc.jwksUri) return oidc.jwksUri;
  const res = await request(`${oidc.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, {
    headersTimeout: 5_000,
    bodyTimeout: 5_000,
  });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new Error(`OIDC discovery of ${oidc.issuer} answered ${res.statusCode}`);
  }
  return discoverySchema.parse(await res.body.json()).jwks_uri;
}

/**
 * ID tokens are for the client that logged the person in, not for APIs: refused by their `typ`, by
 * the claims only ID tokens carry (`nonce`, `at_hash`, `c_hash`), and when the token's only audience
 * is its own authorised party (`azp`), which is how an ID token is addressed.
 */
function refuseIdTokens(typ: string | undefined, claims: JWTPayload, accepted: readonly string[]): void {
  if (!typ || !accepted.some((t) => t.toLowerCase() === typ.toLowerCase()))
    throw new Error(`token type "${typ ?? 'none'}" is not an access token`);
  if (['nonce', 'at_hash', 'c_hash'].some((c) => c in claims)) throw new Error('an ID token is not an access token');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (typeof claims.azp === 'string' && audiences.length === 1 && audiences[0] === claims.azp)
    throw new Error('a token addressed only to its own client is an ID token');
}

function groupsOf(claims: JWTPayload, claim: string): string[] {
  const value = claims[claim];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((g): g is string => typeof g === 'string') : [];
}

function grantOfGroups(groups: readonly string[], access: ReadonlyArray<CodecGrant & { group: string }>): CodecGrant {
  const matching = access.filter((a) => groups.includes(a.group));
  return { tenants: [...new Set(matching.flatMap((a) => a.tenants))], encode: matching.some((a) => a.encode) };
}

function personOf(claims: JWTPayload): string {
  const name = [claims.preferred_username, claims.email].find((v): v is string => typeof v === 'string' && v !== '');
  return name ? `${name} (sub ${claims.sub})` : `sub ${claims.sub}`;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
