import type { NativeConnection } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { TenantDirectory } from '../../src/config/tenant-directory';
import type { RunningSimulators } from '../start-sandbox';
import { connectorsOf } from '../../src/connectors/registry';
import { scheduleIdOf } from '../../src/client/schedules';
import type { ConfigReloader } from '../../src/tenancy/config-reloader';
import { startLiveTenants } from '../../src/tenancy/live-tenants';
import { provisionSandboxTenant } from './sandbox-tenant-provisioning';
import type { JsonStore } from '../../src/onboarding/tenant-check-records';

/**
 * `npm start` follows config/sandbox.yaml (or LUCCA_CONNECTORS_CONFIG) like a worker does; in
 * addition a tenant added there gets simulated Lucca / Elevo / Aequivalent accounts and a first run
 * of each of its connectors, as the shipped tenants do at start-up.
 */
export function startLocalLiveTenants(options: {
  tenants: TenantDirectory;
  sims: RunningSimulators;
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dataConverter: DataConverter;
  log: (line: string) => void;
  webhookPort: number;
  checks: JsonStore;
}): ConfigReloader {
  const { tenants, sims, log } = options;
  const say = (msg: string, meta?: Record<string, unknown>) => log(`${msg}${meta ? ` ${JSON.stringify(meta)}` : ''}`);
  return startLiveTenants({
    directory: tenants,
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    dataConverter: options.dataConverter,
    log: { info: say, warn: say },
    checks: options.checks,
    reloadOnSighup: false, // a closed terminal sends SIGHUP: npm start should stop, not reload
    prepare: (diff) => {
      for (const id of diff.added) {
        const provisioned = provisionSandboxTenant(sims, tenants.tenant(id), {
          secret: (ref) => tenants.secret(ref),
          webhookUrlFor: (t) => `http://127.0.0.1:${options.webhookPort}/webhooks/aequivalent/${t}`,
        });
        if (provisioned.length) log(`sandbox accounts for ${id}: ${provisioned.join(', ')}`);
      }
    },
    followed: async (diff, client) => {
      for (const id of diff.added) {
        for (const c of connectorsOf(tenants.tenant(id))) {
          await client.schedule.getHandle(scheduleIdOf(c.name, id)).trigger();
          log(`first run of ${c.name} for ${id} triggered`);
        }
      }
    },
  });
}
