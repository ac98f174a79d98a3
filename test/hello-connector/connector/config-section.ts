import { z } from 'zod';
import { httpUrl, scheduleSchema } from '../../../src/config/schema-parts';
import { secretReferenceSchema } from '../../../src/config/secret-reference';

/** The tenant's `hello` section. */
export const helloSectionSchema = z
  .object({
    enabled: z.boolean().default(true),
    baseUrl: httpUrl,
    token: secretReferenceSchema,
    schedule: scheduleSchema.default({ enabled: true, at: { hour: 8, minute: 0 }, jitterMinutes: 5 }),
  })
  .strict();

export type HelloSection = z.infer<typeof helloSectionSchema>;
