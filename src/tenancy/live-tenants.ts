import { setTimeout as sleep } from 'node:timers/promises';
import { Client, type ConnectionLike } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { LoadedConfig } from '../config/loaded-config';
import type { TenantDiff } from '../config/tenant-diff';
import type { TenantDirectory } from '../config/tenant-directory';
import { ConfigReloader, type ReloadLog } from './config-reloader';
import { followConfig } from './follow-config';
import { checkNewTenants } from './check-new-tenants';
import type { JsonStore } from '../onboarding/tenant-check-records';

export interface LiveTenantsOptions {
  directory: TenantDirectory;
  connection: ConnectionLike;
  namespace: string;
  taskQueue: string;
  dataConverter: DataConverter;
  log: ReloadLog;
  pollMs?: number;
  reloadOnSighup?: boolean;
  /** Before the schedules follow (npm start: give new tenants their simulated accounts). */
  prepare?: (diff: TenantDiff, loaded: LoadedConfig) => void;
  /** Where checks of added or changed tenants are kept (omitted: they are not checked). */
  checks?: JsonStore;
  /** After the schedules follow (npm start: a first run of each new tenant). */
  followed?: (diff: TenantDiff, client: Client) => Promise<void>;
}

/**
 * Tenants without restarts, in a worker process: the config file is watched (and SIGHUP reloads
 * it), a valid change swaps the tenant directory the activities use, then the schedules follow and
 * the runs of removed tenants are cancelled. Temporal being briefly unreachable only delays that
 * second step (retried); the new tenants are served at once.
 */
export function startLiveTenants(options: LiveTenantsOptions): ConfigReloader {
  const client = new Client({ connection: options.connection, namespace: options.namespace, dataConverter: options.dataConverter });
  const reloader = new ConfigReloader({
    path: options.directory.loaded.path,
    directory: options.directory,
    log: options.log,
    pollMs: options.pollMs ?? Number(process.env.LUCCA_CONNECTORS_CONFIG_POLL_MS ?? 2000),
    reloadOnSighup: options.reloadOnSighup,
    onApplied: async (diff, loaded) => {
      options.prepare?.(diff, loaded);
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await followConfig(client, options.taskQueue, loaded.config, diff);
          const counts = result.schedules.reduce<Record<string, number>>(
            (acc, s) => ({ ...acc, [s.action]: (acc[s.action] ?? 0) + 1 }),
            {},
          );
          options.log.info('schedules follow the config', { ...counts, cancelledRuns: result.cancelled.length });
          await options.followed?.(diff, client);
          if (options.checks) await checkNewTenants(diff, options.directory, options.checks, options.log);
          return;
        } catch (err) {
          options.log.warn('schedules not updated yet; retrying', { attempt, error: (err as Error).message });
          if (attempt >= 5) return;
          await sleep(2000 * attempt);
        }
      }
    },
  });
  reloader.start();
  return reloader;
}
