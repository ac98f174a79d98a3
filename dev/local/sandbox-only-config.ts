import { ConfigError, loadConfig, SANDBOX_CONFIG_PATH, type LoadedConfig } from '../../src/config/load-config';
import { nonLoopbackUrlPaths } from './non-loopback-url-paths';

/** `npm start` pointed at a config that talks to other hosts: one line, nothing started. */
export class NotASandboxConfigError extends ConfigError {
  constructor(path: string, urlPaths: string[]) {
    super(
      path,
      urlPaths.map((p) => `${p}: not a loopback URL`),
    );
    this.message = `npm start runs the sandbox only, and ${path} names other hosts (${urlPaths.join(', ')}): run the worker, webhook receiver and codec server for a real deployment (docs/deployment.md)`;
  }
}

/**
 * The config `npm start` runs: the sandbox's, or one given in LUCCA_CONNECTORS_CONFIG whose URLs
 * all stay on this machine (the simulators). It embeds an unauthenticated codec server and starts
 * first runs for every tenant, so a production config (real payload keys, real tenants) is refused.
 * Sets LUCCA_CONNECTORS_CONFIG, so every part of the embedded system reads the same file.
 */
export function loadSandboxOnlyConfig(env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const loaded = loadConfig(env.LUCCA_CONNECTORS_CONFIG || SANDBOX_CONFIG_PATH);
  const outside = nonLoopbackUrlPaths(loaded.config);
  if (outside.length > 0) throw new NotASandboxConfigError(loaded.path, outside);
  env.LUCCA_CONNECTORS_CONFIG = loaded.path;
  return loaded;
}
