import { freePort } from './free-port';

/**
 * The environment of one of the project's programs (CLI, worker, webhook receiver) run as its own
 * process against a Temporal server: its config and data directory, and free ports for its health,
 * metrics and webhook listeners, so processes started side by side (and other tests) never collide.
 */
export async function programEnv(options: {
  configPath: string;
  temporalAddress: string;
  dataDir: string;
}): Promise<Record<string, string>> {
  return {
    LUCCA_CONNECTORS_CONFIG: options.configPath,
    LUCCA_CONNECTORS_TEMPORAL_ADDRESS: options.temporalAddress,
    LUCCA_CONNECTORS_DATA_DIR: options.dataDir,
    LUCCA_CONNECTORS_HEALTH_PORT: String(await freePort()),
    LUCCA_CONNECTORS_METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
    LUCCA_CONNECTORS_WEBHOOK_PORT: String(await freePort()),
  };
}
