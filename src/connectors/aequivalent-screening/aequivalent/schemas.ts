import { z } from 'zod';
import { DOSSIER_STATUSES } from '../domain/dossier-status-message';
import { calendarDateSchema, dateTimeSchema, emailAddressSchema } from '../../../integrations/http/edge-formats';

/**
 * The Aequivalent orders API contract (api/aequivalent-orders.openapi.yaml) as zod schemas.
 * Shared by the client, the sandbox and the webhook receiver so the three cannot drift apart.
 */

export { DOSSIER_STATUSES };
export const dossierStatusSchema = z.enum(DOSSIER_STATUSES);
export type DossierStatus = z.infer<typeof dossierStatusSchema>;

export const DOSSIER_RESULTS = ['compliant', 'attention_points', 'non_compliant'] as const;
export const dossierResultSchema = z.enum(DOSSIER_RESULTS);
export type DossierResult = z.infer<typeof dossierResultSchema>;

export const civilitySchema = z.enum(['mr', 'ms', 'mx']);
export type Civility = z.infer<typeof civilitySchema>;

const isoDate = calendarDateSchema;
const isoDateTime = dateTimeSchema;
/** BCP-47 language tag such as fr-FR. */
const languageTag = z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a language tag such as fr-FR');

export const candidateSchema = z
  .object({
    civility: civilitySchema.nullable(),
    firstName: z.string().min(1),
    lastName: z.string().min(1),
    language: languageTag.nullable(),
    email: emailAddressSchema.nullable(),
    professionalPhone: z.string().nullable(),
    personalPhone: z.string().nullable(),
    birthDate: isoDate.nullable(),
    contractStart: isoDate.nullable(),
    jobTitle: z.string().nullable(),
  })
  .strict();
export type DossierCandidate = z.infer<typeof candidateSchema>;

export const clientUserSchema = z.object({ luccaId: z.number().int(), name: z.string().optional() }).strict();

/** Body of POST /dossiers. */
export const dossierRequestSchema = z
  .object({
    externalReference: z.string().min(1).max(200),
    package: z.string().min(1),
    reasonCategory: z.string().min(1),
    reason: z.string().min(1),
    costCenter: z.string().nullable(),
    candidate: candidateSchema,
    clientUser: clientUserSchema.nullable(),
  })
  .strict()
  .refine((r) => r.candidate.email !== null || r.candidate.professionalPhone !== null || r.candidate.personalPhone !== null, {
    message: 'the candidate needs an email or a phone',
    path: ['candidate'],
  });
export type DossierRequest = z.infer<typeof dossierRequestSchema>;

export const documentKindSchema = z.enum(['cv', 'other']);
export type DocumentKind = z.infer<typeof documentKindSchema>;

export const dossierDocumentSchema = z.object({
  id: z.string(),
  kind: documentKindSchema,
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  uploadedAt: isoDateTime,
});
export type DossierDocument = z.infer<typeof dossierDocumentSchema>;

export const statusHistoryEntrySchema = z.object({ status: dossierStatusSchema, at: isoDateTime });

/** A dossier as returned by the API. Unknown extra fields are tolerated (the vendor may add some). */
export const dossierSchema = z.object({
  id: z.string(),
  externalReference: z.string(),
  package: z.string(),
  reasonCategory: z.string(),
  reason: z.string(),
  costCenter: z.string().nullable(),
  candidate: candidateSchema.loose(),
  clientUser: clientUserSchema.loose().nullable(),
  documents: z.array(dossierDocumentSchema),
  status: dossierStatusSchema,
  result: dossierResultSchema.nullable(),
  statusHistory: z.array(statusHistoryEntrySchema),
  createdAt: isoDateTime,
  expiresAt: isoDateTime,
});
export type Dossier = z.infer<typeof dossierSchema>;

export const dossierListSchema = z.object({
  items: z.array(dossierSchema),
  page: z.number().int().min(1),
  perPage: z.number().int().min(1),
  total: z.number().int().min(0),
  /** Next page number, or null on the last page. */
  nextPage: z.number().int().nullable(),
});
export type DossierPage = z.infer<typeof dossierListSchema>;

/** Error body of every 4xx/5xx answer. Messages never carry personal data. */
export const apiErrorSchema = z.object({ error: z.object({ code: z.string().regex(/^[a-z_]+$/), message: z.string() }).strict() }).strict();
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

export const WEBHOOK_EVENT_TYPE = 'dossier.status_changed';

/** Body of a webhook delivery. The event id is stable across retries of the same event. */
export const webhookEventSchema = z.object({
  id: z.string().min(1),
  type: z.literal(WEBHOOK_EVENT_TYPE),
  dossierId: z.string().min(1),
  externalReference: z.string(),
  status: dossierStatusSchema,
  result: dossierResultSchema.nullable(),
  occurredAt: isoDateTime,
});
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

export const SIGNATURE_HEADER = 'aequivalent-signature';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
