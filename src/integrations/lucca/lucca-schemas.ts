import { z } from 'zod';

/**
 * zod models of the Lucca v3 wire format (see shared/reference/lucca-api.md). They are lenient where
 * Lucca is known to vary (field-name casing, extra properties) and strict where our logic depends on
 * a shape (envelope, extended-data values, list entries).
 */
export const luccaHeaderSchema = z.object({ generated: z.string().optional(), principal: z.string().optional() }).passthrough();

/** A v3 user as returned with a field selection: any subset of properties, any casing. */
export const luccaRawUserSchema = z.record(z.string(), z.unknown());

export const luccaUserListSchema = z.object({
  header: luccaHeaderSchema.optional(),
  data: z.object({
    items: z.array(luccaRawUserSchema).optional(),
    count: z.number().int().nonnegative().optional(),
  }),
});

export const luccaSingleUserSchema = z.object({ header: luccaHeaderSchema.optional(), data: luccaRawUserSchema });

/** `{id, value}`; ids may be absent on composite sub-values. */
export const extendedValueSchema = z.object({ id: z.number().int().optional().nullable(), value: z.unknown() }).passthrough();
export const extendedDataEntrySchema = z.union([extendedValueSchema, z.array(extendedValueSchema)]);

export const listEntrySchema = z.object({ id: z.number().int(), name: z.string(), translation: z.unknown().optional() }).passthrough();

export const extensionDefinitionSchema = z
  .object({
    id: z.number().int().optional(),
    code: z.string().optional(),
    name: z.string().optional(),
    formatKey: z.string().optional(),
    isMultiple: z.boolean().optional(),
    /** UserProperties call the flag `isMultivalue`; which name definitions use is not documented (docs/external-apis.md L20). */
    isMultivalue: z.boolean().optional(),
    extensionUserPropertyListEntries: z.array(listEntrySchema).nullable().optional(),
  })
  .passthrough()
  .transform((d) => (d.isMultiple === undefined && d.isMultivalue !== undefined ? { ...d, isMultiple: d.isMultivalue } : d));

export const extensionDefinitionResponseSchema = z.object({ header: luccaHeaderSchema.optional(), data: extensionDefinitionSchema });
export const extensionDefinitionListResponseSchema = z.object({
  header: luccaHeaderSchema.optional(),
  data: z.object({ items: z.array(extensionDefinitionSchema) }),
});

export type LuccaRawUser = z.infer<typeof luccaRawUserSchema>;
export type ExtendedValue = z.infer<typeof extendedValueSchema>;
export type ExtensionDefinition = z.infer<typeof extensionDefinitionSchema>;
export type ListEntry = z.infer<typeof listEntrySchema>;
