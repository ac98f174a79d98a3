import type { z } from 'zod';
import { tenantSchema, type TenantConfig } from './config-schema';
import { secretReferenceSchema } from './secret-reference';

/** Unwraps optional/default wrappers down to an object schema, if there is one. */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let current: unknown = schema;
  while (current && typeof current === 'object' && !('shape' in current) && typeof (current as { unwrap?: unknown }).unwrap === 'function') {
    current = (current as { unwrap(): unknown }).unwrap();
  }
  return (current as { shape?: Record<string, z.ZodType> } | undefined)?.shape;
}

/** `section.field` of every secret reference in the tenant schema (`lucca.apiKey`, `elevo.token`, …), read from the schema itself. */
const SECRET_FIELDS: ReadonlyArray<[section: keyof TenantConfig, field: string]> = Object.entries(tenantSchema.shape).flatMap(([section, schema]) =>
  Object.entries(objectShape(schema as z.ZodType) ?? {})
    .filter(([, field]) => field === secretReferenceSchema)
    .map(([field]) => [section as keyof TenantConfig, field] as [keyof TenantConfig, string]),
);

/** The secret references of one tenant, as `[path, reference]`: a connector's new section needs no edit here. */
export function tenantSecretReferences(tenant: TenantConfig): Array<[string, string]> {
  return SECRET_FIELDS.flatMap(([section, field]) => {
    const value = (tenant[section] as Record<string, unknown> | undefined)?.[field];
    return typeof value === 'string' ? [[`${section}.${field}`, value] as [string, string]] : [];
  });
}
