import type { z } from 'zod';
import { tenantSchemaFor, type ConnectorSections, type TenantConfig } from './config-schema';
import { secretReferenceSchema } from './secret-reference';

/** Unwraps optional/default wrappers (down to an object schema, or the innermost schema). */
function unwrapped(schema: z.ZodType): unknown {
  let current: unknown = schema;
  while (
    current &&
    typeof current === 'object' &&
    current !== secretReferenceSchema &&
    !('shape' in current) &&
    typeof (current as { unwrap?: unknown }).unwrap === 'function'
  ) {
    current = (current as { unwrap(): unknown }).unwrap();
  }
  return current;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  return (unwrapped(schema) as { shape?: Record<string, z.ZodType> } | undefined)?.shape;
}

/** The path of every secret reference under an object schema, nested sections included (`lucca.events.clientId`). */
function secretPaths(shape: Record<string, z.ZodType>, prefix: string[] = []): string[][] {
  return Object.entries(shape).flatMap(([key, field]) => {
    // Optional references count too (`lucca.events.webhookSecret`).
    if (unwrapped(field) === secretReferenceSchema) return [[...prefix, key]];
    const nested = objectShape(field);
    return nested ? secretPaths(nested, [...prefix, key]) : [];
  });
}

const secretFields = new WeakMap<ConnectorSections, ReadonlyArray<string[]>>();

/** Every secret-reference path of the tenant schema (`lucca.apiKey`, `elevo.token`, …), read from the schema itself. */
function secretFieldsOf(sections: ConnectorSections): ReadonlyArray<string[]> {
  let fields = secretFields.get(sections);
  if (!fields) secretFields.set(sections, (fields = secretPaths(tenantSchemaFor(sections).shape)));
  return fields;
}

/** The secret references of one tenant, as `[path, reference]`: a connector's new section needs no edit here. */
export function tenantSecretReferences(tenant: TenantConfig, sections: ConnectorSections): Array<[string, string]> {
  return secretFieldsOf(sections).flatMap((path) => {
    let value: unknown = tenant;
    for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
    return typeof value === 'string' ? [[path.join('.'), value] as [string, string]] : [];
  });
}
