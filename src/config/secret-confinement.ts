import { resolve } from 'node:path';
import type { LoadedConfig } from './loaded-config';
import type { SecretConfinement } from './secret-reference';

/** A loaded config's confinement: its own directory, `secrets.directory` (relative to it) and `secrets.envPrefix`. */
export function secretConfinementOf(loaded: LoadedConfig): SecretConfinement {
  const { directory, envPrefix } = loaded.config.secrets;
  return { directories: directory ? [loaded.baseDir, resolve(loaded.baseDir, directory)] : [loaded.baseDir], envPrefix };
}
