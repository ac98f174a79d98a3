/**
 * What `setup` and the start-up checks need from the artifact store. The PostgreSQL store
 * implements it (versioned migrations); the filesystem store has no schema and passes `undefined`.
 */
export interface StoreSchema {
  /** Applies the pending migrations (idempotent); returns one line saying what it did. */
  migrate(): Promise<string>;
  /** `undefined` when the store is ready, otherwise what is missing, in a few words (no secret, no URL password). */
  schemaProblem(): Promise<string | undefined>;
}

/** The store's schema hooks when it has any (duck-typed so each store implementation stays free of setup code). */
export function storeSchemaOf(store: unknown): StoreSchema | undefined {
  const candidate = store as Partial<StoreSchema> | undefined;
  return typeof candidate?.migrate === 'function' && typeof candidate.schemaProblem === 'function' ? (candidate as StoreSchema) : undefined;
}
