import { z } from 'zod';
import { DEFAULT_SECRET_ENV_PREFIX, secretReferenceSchema } from './secret-reference';
import { plainHttpProblems } from './plain-http-urls';

import { httpUrl } from './schema-parts';
import type { ElevoConnectorConfig } from '../connectors/elevo-user-sync/config-section';
import type { AequivalentConnectorConfig } from '../connectors/aequivalent-screening/config-section';

/**
 * Change detection (docs/freshness.md): one change feed per tenant × connector polls Lucca's
 * `modifiedAt` and applies the changed employees within minutes; the daily run stays as reconciliation.
 */
export const freshnessSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** One Lucca request per poll when nothing changed: 60 s = 60 requests an hour. */
    pollSeconds: z.number().int().min(1).max(3600).default(60),
    /** Each poll re-reads this far before the newest change seen (writes committed late). */
    overlapSeconds: z.number().int().min(0).max(3600).default(120),
    /** More changed employees than this at once (an import): one full run instead of a targeted one. */
    burstThreshold: z.number().int().min(1).max(10_000).default(500),
    /** With `lucca.events`: the events feed is swept this often for missed deliveries (1 request when nothing new). */
    sweepSeconds: z.number().int().min(1).max(3600).default(120),
    /** With `lucca.events`: v3 polling resumes after this long without a delivery nor a successful sweep, or after a missed delivery. */
    pollFallbackAfterSeconds: z.number().int().min(1).max(86_400).default(300),
    /**
     * With `lucca.events`, while v3 polling stands down: v3 is read this often since the last read (1 request when
     * nothing changed), so a change the events feed never showed (a lost delivery, an event we cannot read) is
     * applied within this bound whatever the feed lists (docs/external-apis.md, N10).
     */
    catchUpSeconds: z.number().int().min(10).max(86_400).default(3600),
    /**
     * Lucca requests an idle tenant may cost per hour in the background: while the frequent screening
     * intake runs (working hours), polls stretch so polls + intake + sweeps stay within it.
     */
    idleRequestsPerHour: z.number().int().min(1).max(3600).default(60),
  })
  .strict();

const emailAddress = z.string().regex(/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/, 'must be an e-mail address');

/**
 * Alerts of one tenant (run held, run failed, order invalid, result available, write-back blocked):
 * a signed generic webhook and/or e-mail. Messages carry ids and reason codes only (README).
 */
export const notificationsSchema = z
  .object({
    webhook: z
      .object({
        url: httpUrl,
        /** HMAC-SHA256 secret of the `X-Lucca-Connectors-Signature` header. */
        secret: secretReferenceSchema,
      })
      .strict()
      .optional(),
    email: z
      .object({
        smtp: z
          .object({
            host: z.string().min(1),
            port: z.number().int().min(1).max(65535).default(587),
            /** TLS from the first byte (port 465); otherwise STARTTLS. */
            secure: z.boolean().default(false),
            /** Refuse to send without TLS (STARTTLS). Turn off only for a local relay. */
            requireTls: z.boolean().default(true),
            username: z.string().min(1).optional(),
            password: secretReferenceSchema.optional(),
          })
          .strict(),
        from: z.string().min(3),
        /** Receive run held / run failed / write-back blocked. */
        operators: z.array(emailAddress).default([]),
        /** Receive order invalid / result available. */
        hr: z.array(emailAddress).default([]),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * OAuth2 client credentials of the newer Lucca API (declared by the customer in Lucca's
 * integration keys), and our webhook-endpoint there. Without `webhookUrl` only the events feed is
 * read (no deliveries). `webhookSecret` is the endpoint's signing secret, which Lucca shows once,
 * on creation: with a `file:` reference, `tenants check` registers the endpoint and writes it there.
 */
export const luccaEventsSchema = z
  .object({
    clientId: secretReferenceSchema,
    clientSecret: secretReferenceSchema,
    webhookUrl: httpUrl.optional(),
    webhookSecret: secretReferenceSchema.optional(),
    /** Default: `lucca.baseUrl` (the `/lucca-api/...` paths live on the customer's domain). */
    apiBaseUrl: httpUrl.optional(),
    tokenUrl: httpUrl.default('https://accounts.world.luccasoftware.com/connect/token'),
  })
  .strict()
  .refine((events) => !events.webhookUrl === !events.webhookSecret, {
    message: 'webhookUrl and webhookSecret go together (deliveries are verified with the secret)',
    path: ['webhookSecret'],
  });

/** A tenant without its connector sections: each connector's definition brings its own (`configSection`). */
export const baseTenantSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'tenant ids are lower-case letters, digits and dashes (they appear in workflow ids)'),
    /** false: schedules paused, runs in flight finish; remove the entry to stop everything. */
    enabled: z.boolean().default(true),
    timeZone: z.string().default('Europe/Paris').refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Paris'),
    lucca: z
      .object({
        baseUrl: httpUrl,
        apiKey: secretReferenceSchema,
        /** Lucca allows 50 requests per minute per domain, shared by every integration of the customer. */
        requestsPerMinute: z.number().int().min(1).max(50).default(50),
        /** The newer Lucca API's webhooks and events feed, when the customer enables them (docs/freshness-webhooks.md). */
        events: luccaEventsSchema.optional(),
      })
      .strict(),
    notifications: notificationsSchema.optional(),
    freshness: freshnessSchema.prefault({}),
  })
  .strict();

/**
 * Secure connections to the Temporal frontend. `tls` alone: TLS (server verified with `caCertificate`,
 * or the system roots); with `clientCertificate` + `clientKey`: mutual TLS. `apiKey`: Temporal Cloud
 * (implies TLS). Certificates and keys are secret references (PEM text); `serverName` is the name
 * the server certificate must carry when it differs from the address's host.
 */
export const temporalTlsSchema = z
  .object({
    caCertificate: secretReferenceSchema.optional(),
    clientCertificate: secretReferenceSchema.optional(),
    clientKey: secretReferenceSchema.optional(),
    serverName: z
      .string()
      .regex(/^[A-Za-z0-9.-]+$/, 'must be a DNS name')
      .optional(),
  })
  .strict()
  .refine((tls) => !tls.clientCertificate === !tls.clientKey, {
    message: 'clientCertificate and clientKey go together (mutual TLS needs both)',
    path: ['clientKey'],
  });

export const temporalSchema = z
  .object({
    address: z.string().default('127.0.0.1:7233'),
    namespace: z.string().default('default'),
    taskQueue: z.string().default('lucca-connectors'),
    /**
     * How long Temporal keeps a closed run's history (`lucca-connectors setup` sets it on the
     * namespace). It bounds how long run data — encrypted personal data included — lives in Temporal.
     */
    retentionDays: z.number().int().min(1).max(3650).default(30),
    /** Worker Deployment name; the build id comes from the release (LUCCA_CONNECTORS_BUILD_ID). */
    deploymentName: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,100}$/)
      .default('lucca-connectors'),
    tls: temporalTlsSchema.optional(),
    apiKey: secretReferenceSchema.optional(),
  })
  .strict();

/**
 * Payload encryption keys, oldest first: the last one not marked `seal: false` encrypts, all of them
 * decrypt. Rotation is two-step (docs/configuration.md): a new key is first known everywhere
 * (`seal: false`), then seals — so a payload naming an unconfigured key id is refused as forged.
 */
export const encryptionSchema = z
  .object({
    keys: z
      .array(
        z
          .object({
            id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'key ids are letters, digits, ".", "_" and "-"'),
            key: secretReferenceSchema,
            /** `false`: decrypts only (a key being rotated in, until every process has it). */
            seal: z.boolean().default(true),
          })
          .strict(),
      )
      .min(1, 'at least one encryption key is required: employee data is never stored in plain text')
      .refine((keys) => keys.some((k) => k.seal), 'at least one encryption key must seal (not `seal: false`)'),
    /**
     * Workers refuse starts, signals and updates whose payloads are not sealed with these keys.
     * `true` lets plaintext in (only while migrating from an unencrypted deployment).
     */
    acceptUnencryptedPayloads: z.boolean().default(false),
    codecServer: z
      .object({
        port: z.number().int().min(1).max(65535).default(8888),
        /** People: the Temporal UI forwards their OIDC access token, verified against the issuer's JWKS. */
        oidc: z
          .object({
            issuer: z.string().url(),
            /** The `aud` the tokens must carry (the UI's client id or API audience at the issuer). */
            audience: z.string().min(1),
            /** Default: discovered from `<issuer>/.well-known/openid-configuration`. */
            jwksUri: z.string().url().optional(),
            /** The claim listing a person's groups (roles), matched against `access[].group`. */
            groupsClaim: z.string().min(1).default('groups'),
            /** Accepted JWT `typ` headers: access tokens only (RFC 9068); ID tokens are refused. */
            accessTokenTypes: z.array(z.string().min(1)).min(1).default(['at+jwt', 'application/at+jwt']),
          })
          .strict()
          .optional(),
        /**
         * What each OIDC group may do: decode the payloads of `tenants` (`'*'`: every tenant, and
         * payloads of no tenant), and seal payloads for a named workflow of those tenants (`encode`).
         * A person in no listed group decodes nothing.
         */
        access: z
          .array(
            z
              .object({ group: z.string().min(1), tenants: z.array(z.string().min(1)).default([]), encode: z.boolean().default(false) })
              .strict(),
          )
          .default([]),
        /**
         * The CLI and automation: named bearer tokens (the name is what the audit log records), each
         * decoding `tenants` (default every tenant) and encoding only with `encode: true`.
         */
        tokens: z
          .array(
            z
              .object({
                name: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/),
                token: secretReferenceSchema,
                tenants: z.array(z.string().min(1)).default(['*']),
                encode: z.boolean().default(false),
              })
              .strict(),
          )
          .default([]),
        /** One bearer token (kept for existing configs): same as `tokens: [{ name: operators, token }]`. */
        token: secretReferenceSchema.optional(),
        /** The Temporal Web UI origin(s), the only ones allowed by CORS. */
        allowedOrigin: z
          .union([z.string(), z.array(z.string()).min(1)])
          .default(['http://127.0.0.1:8233', 'http://localhost:8233'])
          .transform((o) => (Array.isArray(o) ? o : [o])),
      })
      .strict()
      .refine((c) => c.oidc !== undefined || c.tokens.length > 0 || c.token !== undefined, {
        message:
          'the codec server needs a way to authenticate callers: oidc (people, through the Temporal UI) and/or tokens (CLI, automation)',
      })
      .optional(),
  })
  .strict();

/**
 * How long run artifacts (plans, batches, reports: names and actions of employees) are kept. 30 days
 * by default: long enough to read a month's reports and investigate a run, short enough that former
 * employees' data does not pile up (GDPR storage limitation, art. 5(1)(e)).
 */
const retentionDays = z.number().int().min(1).max(3650).default(30);

/** Where artifacts live: the filesystem (one machine only) or PostgreSQL (shared by every process). */
export const storageSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('filesystem'), dir: z.string().min(1).optional(), retentionDays }).strict(),
    z.object({ kind: z.literal('postgres'), url: secretReferenceSchema, retentionDays }).strict(),
  ])
  .prefault({ kind: 'filesystem' });

/** Where secret references may point (see SecretConfinement): besides the config's own directory, and which variables. */
export const secretsSchema = z
  .object({
    /** A directory `file:` references may also point into (absolute, or relative to the config file). */
    directory: z.string().min(1).optional(),
    /** `env:` references must name variables starting with this. */
    envPrefix: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the start of an environment variable name')
      .default(DEFAULT_SECRET_ENV_PREFIX),
  })
  .strict()
  .prefault({});

/** Outbound calls: plain `http://` is refused except for loopback and the hosts listed here (a private network, e.g. Compose). */
export const outboundSchema = z
  .object({
    plainHttpHosts: z.array(z.string().regex(/^[A-Za-z0-9.-]+$/, 'must be a host name')).default([]),
  })
  .strict()
  .prefault({});

/** Each registered connector's tenant section, by config key (`elevo: <its zod schema>`). */
export type ConnectorSections = Readonly<Record<string, z.ZodType>>;

/** A tenant with the sections of the given connectors, each optional; unknown sections are refused (typos). */
export function tenantSchemaFor(sections: ConnectorSections) {
  // Typed as the base: each connector types its own section (TenantConfig adds the built-in ones).
  const optional: Record<never, z.ZodType> = Object.fromEntries(Object.entries(sections).map(([key, schema]) => [key, schema.optional()]));
  return baseTenantSchema.extend(optional).strict();
}

const deploymentShape = {
  encryption: encryptionSchema,
  secrets: secretsSchema,
  outbound: outboundSchema,
  storage: storageSchema,
  temporal: temporalSchema.prefault({}),
  /** Deployment-wide floors that protect the vendors and Temporal histories from a per-tenant typo. */
  limits: z
    .object({
      /** A connector polling its vendor (`pollIntervalMinutes`, e.g. Aequivalent: a request and ~9 history events per poll). */
      minPollIntervalMinutes: z.number().positive().default(5),
    })
    .strict()
    .prefault({}),
  /**
   * Who may approve, reject and cancel: each operator's Ed25519 public key (base64 DER/SPKI or PEM;
   * `lucca-connectors operator-key` makes one). Commands are signed with the private key, which only
   * the operator holds; workers verify. Several entries may share a name (key rotation).
   */
  operators: z.array(z.object({ name: z.string().regex(/^[A-Za-z0-9._@ -]{1,100}$/), publicKey: z.string().min(40) }).strict()).default([]),
};

/** The whole config file, for the given connectors' sections (src/config/load-config.ts passes the registry's). */
export function configSchemaFor(sections: ConnectorSections) {
  return z
    .object({ ...deploymentShape, tenants: z.array(tenantSchemaFor(sections)).min(1, 'at least one tenant is required') })
    .strict()
    .superRefine((config, ctx) => {
      for (const { path, message } of plainHttpProblems(config)) ctx.addIssue({ code: 'custom', path, message });
      const seen = new Set<string>();
      config.tenants.forEach((entry, index) => {
        const tenant = entry as Record<string, unknown> & { id: string };
        if (seen.has(tenant.id))
          ctx.addIssue({ code: 'custom', path: ['tenants', index, 'id'], message: `duplicate tenant id "${tenant.id}"` });
        seen.add(tenant.id);
        for (const key of Object.keys(sections)) {
          const poll = (tenant[key] as { pollIntervalMinutes?: number } | undefined)?.pollIntervalMinutes;
          if (poll !== undefined && poll < config.limits.minPollIntervalMinutes) {
            ctx.addIssue({
              code: 'custom',
              path: ['tenants', index, key, 'pollIntervalMinutes'],
              message: `must be at least ${config.limits.minPollIntervalMinutes} (limits.minPollIntervalMinutes)`,
            });
          }
        }
      });
    });
}

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Typed access to the two built-in connectors' sections for the code that serves them outside their folder
 * (`tenants add`, the webhook receiver). A new connector need not be listed: its code reads its own section with
 * its own type (`TenantDirectory.section`); the config file is validated with every registered connector's schema.
 */
export interface BuiltInConnectorSections {
  elevo?: ElevoConnectorConfig;
  aequivalent?: AequivalentConnectorConfig;
}

export type TenantConfig = z.infer<typeof baseTenantSchema> & BuiltInConnectorSections;
export type ConnectorsConfig = { [K in keyof typeof deploymentShape]: z.infer<(typeof deploymentShape)[K]> } & { tenants: TenantConfig[] };
export type TemporalConfig = z.infer<typeof temporalSchema>;
export type FreshnessConfig = z.infer<typeof freshnessSchema>;
export type StorageConfig = z.infer<typeof storageSchema>;
export type NotificationsConfig = z.infer<typeof notificationsSchema>;
export type LuccaEventsConfig = z.infer<typeof luccaEventsSchema>;

/** A connector's section of a tenant entry, by config key (typed by the connector that owns it). */
export function connectorSectionOf(tenant: TenantConfig, key: string): unknown {
  return (tenant as unknown as Record<string, unknown>)[key];
}
