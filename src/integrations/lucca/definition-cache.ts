import type { LuccaClient } from './lucca-client';
import type { ExtensionDefinition } from './lucca-schemas';

/** Definitions by lower-cased code. */
export type DefinitionsByCode = Map<string, ExtensionDefinition>;

/**
 * Extension definitions change rarely (an admin edits a list) while every screening order needs
 * four of them. One collection read (`GET /api/v3/extensionuserdefinitions`) serves every code, so
 * a run reads them once: the intake refreshes them, its orders reuse them, per Lucca client (one per
 * tenant) for a few minutes, instead of one request per code and order out of the customer's 50
 * requests a minute.
 */
const cache = new WeakMap<LuccaClient, { at: number; value: Promise<DefinitionsByCode> }>();

export interface DefinitionCacheOptions {
  ttlMs?: number;
  /** Read again even when a fresh copy is cached (the start of a run). */
  refresh?: boolean;
  now?: () => number;
  signal?: AbortSignal;
}

export function cachedDefinitions(lucca: LuccaClient, options: DefinitionCacheOptions = {}): Promise<DefinitionsByCode> {
  const now = options.now ?? Date.now;
  const hit = cache.get(lucca);
  if (hit && !options.refresh && now() - hit.at < (options.ttlMs ?? 5 * 60_000)) return hit.value;
  const value = lucca
    .listExtensionDefinitions(options.signal)
    .then((all) => new Map(all.filter((d) => d.code).map((d) => [d.code!.toLowerCase(), d])));
  const entry = { at: now(), value };
  cache.set(lucca, entry);
  // Never cache a failure (unless a newer read replaced it meanwhile).
  value.catch(() => cache.get(lucca) === entry && cache.delete(lucca));
  return value;
}

/** One code's definition, from the cached collection; null when Lucca has no such code. */
export async function cachedExtensionDefinition(
  lucca: LuccaClient,
  code: string,
  options: DefinitionCacheOptions = {},
): Promise<ExtensionDefinition | null> {
  return (await cachedDefinitions(lucca, options)).get(code.toLowerCase()) ?? null;
}
