import type { ConnectorsConfig, ConnectorSections } from './config-schema';

export interface LoadedConfig {
  config: ConnectorsConfig;
  /** Absolute path of the file, used to resolve `file:` secret references relative to it. */
  path: string;
  baseDir: string;
  /** SHA-256 of the text this config was parsed from: what a reloader compares the file with. */
  digest: string;
  /** The connector sections it was validated with (a reload validates the new file with the same). */
  sections: ConnectorSections;
}

/** Thrown at start-up; lists every bad field with its path. Never echoes field values. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly path: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration ${path}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * No variable, no config: a production process that fell back to the sandbox's config would run
 * its payload key and tenants. One line, printed as is by every entry point (a ConfigError).
 */
export class ConfigNotChosenError extends ConfigError {
  constructor() {
    super('(none)', ['LUCCA_CONNECTORS_CONFIG is not set']);
    this.message =
      "LUCCA_CONNECTORS_CONFIG is not set: point it at this deployment's config file (config/sandbox.yaml is the sandbox's, for `npm start` and the tests)";
  }
}
