import { z } from 'zod';
import { httpUrl, luccaFieldCode, scheduleSchema } from '../../config/schema-parts';
import { secretReferenceSchema } from '../../config/secret-reference';

/** The tenant's `elevo` section. */
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

export type ElevoConnectorConfig = z.infer<typeof elevoConnectorSchema>;
export type ExclusionPolicy = z.infer<typeof exclusionPolicySchema>;
