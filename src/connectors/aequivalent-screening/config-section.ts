import { z } from 'zod';
import { httpUrl, luccaFieldCode, scheduleSchema } from '../../config/schema-parts';
import { secretReferenceSchema } from '../../config/secret-reference';

/** The tenant's `aequivalent` section. */
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

export type AequivalentConnectorConfig = z.infer<typeof aequivalentConnectorSchema>;
