import type { Command } from 'commander';
import type { TenantConfig } from '../config/config-schema';
import type { TenantCheckReport } from '../onboarding/check-finding';
import { renderTenantCheckText } from '../onboarding/render-tenant-check';
import { checkTenant } from '../onboarding/tenant-check';
import { saveTenantCheck } from '../onboarding/tenant-check-records';
import { buildRuntime, type ConnectorsRuntime } from '../runtime/connectors-runtime';

export interface CheckOptions {
  all?: boolean;
  json?: boolean;
  writeProbe?: boolean;
  verbose?: boolean;
}

/** Checks tenants from this process (no Temporal needed), keeps each report for `tenants`, prints them. */
export async function runTenantChecks(ctx: ConnectorsRuntime, tenants: TenantConfig[], opts: CheckOptions): Promise<TenantCheckReport[]> {
  const reports: TenantCheckReport[] = [];
  for (const tenant of tenants) {
    const report = await checkTenant({
      tenant,
      secret: (ref) => ctx.tenants.secret(ref),
      writeProbe: opts.writeProbe,
      configDir: ctx.loaded.baseDir,
    });
    reports.push(report);
    await saveTenantCheck(ctx.artifacts, report).catch((err: Error) =>
      console.error(`note: the check of ${tenant.id} could not be kept (${err.message})`),
    );
    if (!opts.json) process.stdout.write(renderTenantCheckText(report, { verbose: opts.verbose }));
  }
  if (opts.json) console.log(JSON.stringify(reports, null, 2));
  return reports;
}

export function registerTenantCheckCommand(tenants: Command): void {
  tenants
    .command('check [tenant]')
    .description(
      "check a tenant's Lucca key and settings for each enabled connector, and its Elevo / Aequivalent access; exit code 1 when a connector cannot run",
    )
    .option('--all', 'every enabled tenant')
    .option('--json', 'JSON output')
    .option(
      '--write-probe',
      'also prove the Aequivalent order status is writable by re-writing one unchanged value (Lucca may note a modification date)',
    )
    .option('-v, --verbose', 'also list what is in order')
    .action(async (tenantId: string | undefined, opts: CheckOptions) => {
      const ctx = buildRuntime();
      const all = ctx.loaded.config.tenants;
      if (!tenantId && !opts.all) throw new Error('name a tenant or use --all');
      const selected = opts.all ? all.filter((t) => t.enabled) : all.filter((t) => t.id === tenantId);
      if (selected.length === 0) throw new Error(`unknown tenant "${tenantId}" (configured: ${all.map((t) => t.id).join(', ')})`);
      const reports = await runTenantChecks(ctx, selected, opts);
      if (reports.some((r) => !r.canRun)) process.exitCode = 1;
    });
}
