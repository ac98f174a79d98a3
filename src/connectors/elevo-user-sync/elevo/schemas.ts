import { z } from 'zod';
import { calendarDateSchema, dateTimeSchema, emailAddressSchema } from '../../../integrations/http/edge-formats';

/**
 * The Elevo provisioning API contract (api/elevo-provisioning.openapi.yaml) as zod schemas.
 * Shared by the client (validates answers) and the sandbox (validates requests), so the two
 * cannot drift apart.
 */

const text = z.string().nullable();
export const isoDateSchema = calendarDateSchema;
export const customFieldsSchema = z.record(z.string(), z.string().nullable());
export const elevoUserStatusSchema = z.enum(['active', 'suspended']);

export const elevoUserSchema = z.object({
  id: z.string().min(1),
  externalId: z.string().nullable(),
  email: emailAddressSchema,
  registrationNumber: text,
  firstName: text,
  lastName: text,
  jobTitle: text,
  managerExternalId: text,
  department: text,
  workStartDate: isoDateSchema.nullable(),
  customFields: customFieldsSchema,
  status: elevoUserStatusSchema,
  lockedAttributes: z.array(z.string()),
  createdAt: dateTimeSchema,
  updatedAt: dateTimeSchema,
});
export type ElevoUser = z.infer<typeof elevoUserSchema>;

export const elevoUserPageSchema = z.object({
  items: z.array(elevoUserSchema),
  page: z.number().int().min(1),
  perPage: z.number().int().min(1),
  total: z.number().int().min(0),
  /** Next page number, or null on the last page. */
  nextPage: z.number().int().nullable(),
});
export type ElevoUserPage = z.infer<typeof elevoUserPageSchema>;

/** Attributes the sync writes (and an admin may edit when not locked). */
export const elevoAttributesSchema = z.object({
  email: emailAddressSchema,
  registrationNumber: text.optional(),
  firstName: text.optional(),
  lastName: text.optional(),
  jobTitle: text.optional(),
  managerExternalId: text.optional(),
  department: text.optional(),
  workStartDate: isoDateSchema.nullable().optional(),
  customFields: customFieldsSchema.optional(),
});

export const elevoCreateUserSchema = elevoAttributesSchema
  .extend({
    externalId: z.string().min(1).nullable().optional(),
    lockedAttributes: z.array(z.string()).optional(),
  })
  .strict();
export type ElevoCreateUserInput = z.infer<typeof elevoCreateUserSchema>;

/** PATCH /users/{id}: any subset; `customFields` entries are merged (null clears one field). */
export const elevoUpdateUserSchema = elevoCreateUserSchema.partial().strict();
export type ElevoUpdateUserInput = z.infer<typeof elevoUpdateUserSchema>;

/** PATCH /admin/users/{id}: what an Elevo admin edits in the UI (no identity, no lock). */
export const elevoAdminEditSchema = elevoAttributesSchema.partial().strict();
export type ElevoAdminEditInput = z.infer<typeof elevoAdminEditSchema>;

/** Attribute names a lock list may contain: the fixed ones, or `customFields.<key>`. */
export const ELEVO_LOCKABLE_ATTRIBUTES = [
  'email',
  'registrationNumber',
  'firstName',
  'lastName',
  'jobTitle',
  'managerExternalId',
  'department',
  'workStartDate',
] as const;
export const isLockableAttribute = (name: string) =>
  (ELEVO_LOCKABLE_ATTRIBUTES as readonly string[]).includes(name) || /^customFields\.[A-Za-z][A-Za-z0-9_]*$/.test(name);

export const elevoErrorCodeSchema = z.enum([
  'bad_request',
  'unauthorized',
  'unknown_tenant',
  'not_found',
  'method_not_allowed',
  'request_timeout',
  'payload_too_large',
  'invalid_request',
  'email_taken',
  'external_id_taken',
  'unknown_manager',
  'attribute_locked',
  'rate_limited',
  'internal_error',
]);
export type ElevoErrorCode = z.infer<typeof elevoErrorCodeSchema>;

export const elevoErrorSchema = z.object({
  error: elevoErrorCodeSchema,
  message: z.string(),
  /** For `attribute_locked`: the locked attribute names the request touched. */
  attributes: z.array(z.string()).optional(),
});
export type ElevoErrorBody = z.infer<typeof elevoErrorSchema>;
