import { z } from 'zod';
import { DEFAULT_SECRET_ENV_PREFIX, secretReferenceSchema } from './secret-reference';
import { plainHttpProblems } from './plain-http-urls';

const httpUrl = z.string().regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL');
const luccaFieldCode = z.string().regex(/^e_[A-Za-z0-9_-]+$/, 'must be a Lucca extended-data code starting with "e_"');
const timeOfDay = z.object({ hour: z.number().int().min(0).max(23), minute: z.number().int().min(0).max(59).default(0) });

export const scheduleSchema = z
  .object({
    enabled: z.boolean().default(true),
    at: timeOfDay.default({ hour: 6, minute: 0 }),
    jitterMinutes: z.number().int().min(0).max(120).default(5),
  })
  .strict();

/** What to do with an already-synced Elevo user whose exclusion box gets ticked. */
export const exclusionPolicySchema = z.enum(['release', 'suspend']);

export const elevoConnectorSchema = z
  .object({
    enabled: z.boolean().default(true),
    baseUrl: httpUrl,
    token: secretReferenceSchema,
    schedule: scheduleSchema.default({ enabled: true, at: { hour: 6, minute: 0 }, jitterMinutes: 5 }),
    /** Elevo custom text field key ← Lucca field path (`jobTitle`, `department.name`, `extendedData.e_code`). */
    extraFields: z
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'Elevo field keys are letters, digits and _'), z.string().min(1))
      .default({}),
    exclusion: z
      .object({ fieldCode: luccaFieldCode.default('e_skip_elevo_sync'), policy: exclusionPolicySchema.default('release') })
      .strict()
      .default({ fieldCode: 'e_skip_elevo_sync', policy: 'release' }),
    safety: z
      .object({
        maxSuspendPercent: z.number().min(0).max(100).default(10),
        maxSuspendCount: z.number().int().min(0).default(25),
        maxPopulationDropPercent: z.number().min(0).max(100).default(20),
      })
      .strict()
      .default({ maxSuspendPercent: 10, maxSuspendCount: 25, maxPopulationDropPercent: 20 }),
    // Each batch is one activity: larger batches mean fewer round trips to Temporal (see BENCHMARK.md).
    // A retried batch resumes after its last heartbeat, so a large one does not repeat more writes.
    batchSize: z.number().int().min(1).max(2000).default(2000),
    /** Writes in flight per tenant: our Elevo contract allows 10 concurrent requests per account token. */
    concurrency: z.number().int().min(1).max(10).default(8),
  })
  .strict();

export const aequivalentConnectorSchema = z
  .object({
    enabled: z.boolean().default(true),
    baseUrl: httpUrl,
    apiKey: secretReferenceSchema,
    webhookSecret: secretReferenceSchema,
    schedule: scheduleSchema.default({ enabled: true, at: { hour: 7, minute: 0 }, jitterMinutes: 5 }),
    fields: z
      .object({
        package: luccaFieldCode.default('e_screening_package'),
        reasonCategory: luccaFieldCode.default('e_screening_reason_category'),
        reason: luccaFieldCode.default('e_screening_reason'),
        costCenter: luccaFieldCode.default('e_cost_center'),
        cvFile: luccaFieldCode.default('e_candidate_cv_file'),
        otherFiles: luccaFieldCode.default('e_candidate_other_files'),
        clientUser: luccaFieldCode.default('e_client_username'),
        orderStatus: luccaFieldCode.default('e_order_status'),
      })
      .strict()
      .prefault({}),
    statusLabels: z
      .object({
        toOrder: z.string().min(1).default('Dossier à commander'),
        created: z.string().min(1).default('Dossier crée par Aequivalent'),
        /** Optional: mirror later dossier states into Lucca when the list has entries for them. */
        mirror: z.record(z.string(), z.string().min(1)).default({}),
      })
      .strict()
      .prefault({}),
    /** Poll Aequivalent when no webhook arrived for this long (fallback); at least `limits.minPollIntervalMinutes`. */
    pollIntervalMinutes: z.number().positive().default(360),
    /** An order still not final this long after its dossier was placed ends as `follow-up-deadline` (dossiers expire after 6 weeks). */
    followUpDeadlineDays: z.number().positive().default(60),
    /** A Lucca write-back still failing after this long shows the order as `write-back-blocked`. */
    writeBackAlertHours: z.number().positive().default(24),
    /** Intake every this many minutes during working hours, besides the daily one (0: daily only). */
    intakeEveryMinutes: z.number().int().min(0).max(120).default(5),
    /** The tenant's working hours (its time zone, Monday to Friday) for the frequent intake: [from, to). */
    workingHours: z
      .object({ from: z.number().int().min(0).max(23).default(8), to: z.number().int().min(1).max(24).default(19) })
      .strict()
      .refine((h) => h.from < h.to, { message: 'from must be before to', path: ['to'] })
      .prefault({}),
  })
  .strict();

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

export const tenantSchema = z
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
    elevo: elevoConnectorSchema.optional(),
    aequivalent: aequivalentConnectorSchema.optional(),
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

/** Payload encryption keys, oldest first: the last one encrypts, all of them decrypt (rotation). */
export const encryptionSchema = z
  .object({
    keys: z
      .array(
        z
          .object({
            id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'key ids are letters, digits, ".", "_" and "-"'),
            key: secretReferenceSchema,
          })
          .strict(),
      )
      .min(1, 'at least one encryption key is required: employee data is never stored in plain text'),
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

export const configSchema = z
  .object({
    encryption: encryptionSchema,
    secrets: secretsSchema,
    outbound: outboundSchema,
    storage: storageSchema,
    temporal: temporalSchema.prefault({}),
    /** Deployment-wide floors that protect the vendors and Temporal histories from a per-tenant typo. */
    limits: z
      .object({
        /** Each poll costs Aequivalent a request and the order ~9 history events. */
        minPollIntervalMinutes: z.number().positive().default(5),
      })
      .strict()
      .prefault({}),
    tenants: z.array(tenantSchema).min(1, 'at least one tenant is required'),
    /**
     * Who may approve, reject and cancel: each operator's Ed25519 public key (base64 DER/SPKI or PEM;
     * `lucca-connectors operator-key` makes one). Commands are signed with the private key, which only
     * the operator holds; workers verify. Several entries may share a name (key rotation).
     */
    operators: z
      .array(z.object({ name: z.string().regex(/^[A-Za-z0-9._@ -]{1,100}$/), publicKey: z.string().min(40) }).strict())
      .default([]),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const { path, message } of plainHttpProblems(config)) ctx.addIssue({ code: 'custom', path, message });
    const seen = new Set<string>();
    config.tenants.forEach((tenant, index) => {
      if (seen.has(tenant.id))
        ctx.addIssue({ code: 'custom', path: ['tenants', index, 'id'], message: `duplicate tenant id "${tenant.id}"` });
      seen.add(tenant.id);
      const poll = tenant.aequivalent?.pollIntervalMinutes;
      if (poll !== undefined && poll < config.limits.minPollIntervalMinutes) {
        ctx.addIssue({
          code: 'custom',
          path: ['tenants', index, 'aequivalent', 'pollIntervalMinutes'],
          message: `must be at least ${config.limits.minPollIntervalMinutes} (limits.minPollIntervalMinutes)`,
        });
      }
    });
  });

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export type ConnectorsConfig = z.infer<typeof configSchema>;
export type TemporalConfig = z.infer<typeof temporalSchema>;
export type TenantConfig = z.infer<typeof tenantSchema>;
export type FreshnessConfig = z.infer<typeof freshnessSchema>;
export type ElevoConnectorConfig = z.infer<typeof elevoConnectorSchema>;
export type AequivalentConnectorConfig = z.infer<typeof aequivalentConnectorSchema>;
export type StorageConfig = z.infer<typeof storageSchema>;
export type ExclusionPolicy = z.infer<typeof exclusionPolicySchema>;
export type NotificationsConfig = z.infer<typeof notificationsSchema>;
export type LuccaEventsConfig = z.infer<typeof luccaEventsSchema>;
