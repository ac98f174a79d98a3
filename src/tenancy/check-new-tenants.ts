import type { TenantDirectory } from '../config/tenant-directory';
import type { TenantDiff } from '../config/tenant-diff';
import { checkTenant } from '../onboarding/tenant-check';
import { saveTenantCheck, type JsonStore } from '../onboarding/tenant-check-records';
import type { ReloadLog } from './config-reloader';

/**
 * A tenant added or changed by hand in the file is checked too (as `tenants add` does), through the
 * worker's own Lucca client and so its shared budget; the report is kept for `tenants` and only
 * counts and codes reach the log. A failure to check never stops the reload.
 */
export async function checkNewTenants(diff: TenantDiff, directory: TenantDirectory, store: JsonStore, log: ReloadLog): Promise<void> {
  for (const tenantId of [...diff.added, ...diff.changed]) {
    try {
      const tenant = directory.tenant(tenantId);
      if (!tenant.enabled) continue;
      const report = await checkTenant({ tenant, secret: (ref) => directory.secret(ref), lucca: directory.lucca(tenantId) });
      await saveTenantCheck(store, report);
      const all = [...report.lucca, ...report.connectors.flatMap((c) => c.findings)];
      const codes = (severity: string) => all.filter((f) => f.severity === severity).map((f) => f.code);
      log.info('tenant checked', {
        tenantId,
        canRun: report.canRun,
        blocking: codes('blocking'),
        warnings: codes('warning'),
        luccaRequests: report.luccaRequests,
      });
    } catch (err) {
      log.warn('tenant check failed; run `lucca-connectors tenants check`', { tenantId, error: (err as Error).message });
    }
  }
}
