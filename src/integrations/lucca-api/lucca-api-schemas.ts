import { z } from 'zod';

/** The newer Lucca API's shapes we rely on, validated at the edge (extra fields pass through). */

export const LUCCA_API_VERSION = '2024-11-01';

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().positive(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

export const webhookEndpointSchema = z.object({
  id: z.string().min(1),
  webhookUrl: z.string(),
  topics: z.array(z.string()),
  status: z.enum(['active', 'suspended', 'inactive']),
});
export type LuccaWebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

/** Only the answer to a creation carries the signing secret (Lucca: "you will not be able to GET it later"). */
export const createdWebhookEndpointSchema = webhookEndpointSchema.extend({ secret: z.string().min(1) });

export const webhookEndpointListSchema = z.object({
  items: z.array(webhookEndpointSchema),
  links: z.object({ next: z.object({ href: z.string() }).nullable().optional() }).nullish(),
});

/**
 * An event: `data` is the resource right after the change (it may have changed again since), so
 * we keep only what identifies it. Employee ids are strings in the newer API.
 */
export const luccaEventSchema = z.object({
  id: z.string().min(1),
  /** Unique together with `id` (the documented event identity). */
  source: z.string().min(1).nullish(),
  topic: z.string().min(1),
  occurredAt: z.string().min(1),
  data: z
    .object({
      id: z.union([z.string(), z.number()]).optional(),
      employee: z.object({ id: z.union([z.string(), z.number()]) }).nullish(),
    })
    .nullish(),
});
export type LuccaEvent = z.infer<typeof luccaEventSchema>;

export const eventsPageSchema = z.object({
  url: z.string(),
  items: z.array(luccaEventSchema),
  links: z.object({ next: z.object({ href: z.string() }).nullable().optional() }).nullish(),
});
export type EventsPage = z.infer<typeof eventsPageSchema>;
