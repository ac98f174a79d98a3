import { z } from 'zod';

/** Pieces of the config schema that connector sections reuse (src/connectors/<name>/config-section.ts). */
export const httpUrl = z.string().regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL');
export const luccaFieldCode = z.string().regex(/^e_[A-Za-z0-9_-]+$/, 'must be a Lucca extended-data code starting with "e_"');
const timeOfDay = z.object({ hour: z.number().int().min(0).max(23), minute: z.number().int().min(0).max(59).default(0) });

export const scheduleSchema = z
  .object({
    enabled: z.boolean().default(true),
    at: timeOfDay.default({ hour: 6, minute: 0 }),
    jitterMinutes: z.number().int().min(0).max(120).default(5),
  })
  .strict();

/** What every connector section has: the registry reads these to enable it and to schedule its daily run. */
export interface ConnectorSectionBase {
  enabled: boolean;
  schedule: z.infer<typeof scheduleSchema>;
}
