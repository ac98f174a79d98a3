import type { ArtifactCipher } from '../codec/artifact-cipher';
import type { StorageSettings } from '../config/runtime-settings';
import type { ArtifactStore } from './artifact-store';
import { FilesystemArtifactBlobs } from './filesystem-artifact-blobs';
import { PostgresArtifactBlobs } from './postgres-artifact-blobs';
import { SealedArtifactStore } from './sealed-artifact-store';

export interface ArtifactStoreDependencies {
  /** The payload keys' artifact cipher (`codec.artifactCipher`); omitted only by tests of plain storage. */
  cipher?: ArtifactCipher;
  /** Resolves the PostgreSQL URL's secret reference. */
  resolveSecret?: (reference: string) => string;
  /** Write times, for retention; tests pin it. */
  now?: () => Date;
}

/** The one place a process turns its storage settings into a store. */
export function createArtifactStore(settings: { storage: StorageSettings }, deps: ArtifactStoreDependencies = {}): ArtifactStore {
  const { storage } = settings;
  if (storage.kind === 'postgres') {
    if (!deps.resolveSecret) throw new Error('the PostgreSQL artifact store needs a secret resolver for storage.url');
    return new SealedArtifactStore(new PostgresArtifactBlobs(deps.resolveSecret(storage.url)), deps.cipher, deps.now);
  }
  return new SealedArtifactStore(new FilesystemArtifactBlobs(storage.dir), deps.cipher, deps.now);
}

/** The embedded filesystem store in `dir` (tests, the bench, single-machine tools). */
export function createFilesystemArtifactStore(dir: string, cipher?: ArtifactCipher, now?: () => Date): ArtifactStore {
  return createArtifactStore({ storage: { kind: 'filesystem', dir, retentionDays: 30 } }, { cipher, now });
}
