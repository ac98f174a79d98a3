import { z } from 'zod';

/**
 * Faults of the simulated webhook deliveries, scripted per tenant for the next deliveries so tests
 * are exact: `lose` (never sent; the event shows as `failed` in the events feed, as after retries
 * ran out), `duplicate` (sent twice), `reorder` (held until the next delivery went out), `late`
 * (sent `ms` later). Expired tokens are a separate fault (`expireTokens`).
 */
export const deliveryFaultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('lose') }),
  z.object({ kind: z.literal('duplicate') }),
  z.object({ kind: z.literal('reorder') }),
  z.object({ kind: z.literal('late'), ms: z.number().int().min(0) }),
]);
export type DeliveryFault = z.infer<typeof deliveryFaultSchema>;

export interface DeliveryStats {
  /** POST attempts sent (retries and duplicates included). */
  attempts: number;
  delivered: number;
  failed: number;
  lost: number;
  duplicated: number;
  reordered: number;
  late: number;
  /** Answers of the receiver by HTTP status (`0`: no answer: network error or timeout). */
  answers: Record<string, number>;
}

export const emptyDeliveryStats = (): DeliveryStats => ({
  attempts: 0,
  delivered: 0,
  failed: 0,
  lost: 0,
  duplicated: 0,
  reordered: 0,
  late: 0,
  answers: {},
});
