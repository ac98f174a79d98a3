import type { LuccaClient } from './lucca-client';
import type { ExtensionDefinition } from './lucca-schemas';

/**
 * Extension definitions change rarely (an admin edits a list) while every screening order needs
 * four of them: cache them per Lucca client for a few minutes instead of spending four of the
 * customer's 50 requests a minute on each order.
 */
const cache = new WeakMap<LuccaClient, Map<string, { at: number; value: Promise<ExtensionDefinition | null> }>>();

export function cachedExtensionDefinition(lucca: LuccaClient, code: string, ttlMs = 5 * 60_000, now = Date.now): Promise<ExtensionDefinition | null> {
  let perClient = cache.get(lucca);
  if (!perClient) {
    perClient = new Map();
    cache.set(lucca, perClient);
  }
  const key = code.toLowerCase();
  const hit = perClient.get(key);
  if (hit && now() - hit.at < ttlMs) return hit.value;
  const value = lucca.getExtensionDefinition(code);
  perClient.set(key, { at: now(), value });
  value.catch(() => perClient!.delete(key)); // never cache a failure
  return value;
}
