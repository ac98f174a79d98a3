import { codecFromConfig } from '../codec/data-converter';
import { loadConfig, type LoadedConfig } from '../config/load-config';
import { runtimeSettings, type RuntimeSettings } from '../config/runtime-settings';
import { TenantDirectory } from '../config/tenant-directory';
import { ArtifactStore } from '../storage/artifact-store';

/** What CLI commands that do not need Temporal use: the config, its secrets, the shared artifact store. */
export interface LocalContext {
  loaded: LoadedConfig;
  settings: RuntimeSettings;
  directory: TenantDirectory;
  artifacts: ArtifactStore;
}

export function openLocalContext(): LocalContext {
  const loaded = loadConfig();
  const settings = runtimeSettings(loaded.config);
  const directory = new TenantDirectory(loaded);
  const codec = codecFromConfig(loaded.config, (ref) => directory.secret(ref));
  return { loaded, settings, directory, artifacts: new ArtifactStore(settings.dataDir, codec.artifactCipher) };
}
