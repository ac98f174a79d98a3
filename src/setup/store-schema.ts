import type { ArtifactStore } from '../storage/artifact-store';

/** What `setup` and the start-up checks need from the artifact store. */
export interface StoreSchema {
  /** Applies the pending migrations (idempotent); returns one line saying what it did. */
  migrate(): Promise<string>;
  /** `undefined` when the store is ready, otherwise what is missing, in a few words (no secret, no URL password). */
  schemaProblem(): Promise<string | undefined>;
}

/** The store's schema hooks: PostgreSQL applies versioned migrations, the filesystem store creates its directory. */
export function storeSchemaOf(store: ArtifactStore): StoreSchema {
  return { migrate: () => store.migrate(), schemaProblem: () => store.schemaProblem() };
}
