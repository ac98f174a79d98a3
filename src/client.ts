import { Client, Connection, WorkflowIdReusePolicy } from '@temporalio/client';
import { Command, InvalidArgumentError, Option } from 'commander';
import { todayIn } from './activities/tenant-clock';
import { ConfigError, loadConfig } from './config/load-config';
import { runtimeSettings } from './config/runtime-settings';
import { TenantDirectory } from './config/tenant-directory';
import { codecFromConfig, createDataConverter } from './codec/data-converter';
import { connectorByName, connectorsOf } from './client/connector-catalog';
import { applySchedules, scheduleIdOf } from './client/schedules';
import { renderReportCsv, renderReportText, type RunReport } from './domain/elevo-sync/run-report';
import {
  approveElevoSyncUpdate,
  elevoSyncProgressQuery,
  elevoUserSyncWorkflowId,
  rejectElevoSyncUpdate,
  type ElevoSyncResult,
} from './shared/elevo-user-sync-contract';
import { ArtifactStore } from './storage/artifact-store';

/**
 * The operator's CLI (`lucca-connectors ...`, or `npm run client -- ...`): schedules, runs,
 * approvals, run lists and reports. It reads the same config file as the worker.
 */
async function context() {
  const loaded = loadConfig();
  const settings = runtimeSettings(loaded.config);
  const connection = await Connection.connect({ address: settings.temporalAddress });
  const tenants = new TenantDirectory(loaded);
  const codec = codecFromConfig(loaded.config, (ref) => tenants.secret(ref));
  const client = new Client({ connection, namespace: settings.namespace, dataConverter: createDataConverter(codec) });
  const artifacts = new ArtifactStore(settings.dataDir, codec.artifactCipher);
  return { loaded, settings, client, artifacts, close: () => connection.close() };
}
type Ctx = Awaited<ReturnType<typeof context>>;

async function withContext(fn: (ctx: Ctx) => Promise<void>): Promise<void> {
  const ctx = await context();
  try {
    await fn(ctx);
  } finally {
    await ctx.close();
  }
}

const isoDate = (value: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new InvalidArgumentError('expected YYYY-MM-DD');
  return value;
};

function tenantOf(ctx: Ctx, id: string) {
  const tenant = ctx.loaded.config.tenants.find((t) => t.id === id);
  if (!tenant) throw new Error(`unknown tenant "${id}" (configured: ${ctx.loaded.config.tenants.map((t) => t.id).join(', ')})`);
  return tenant;
}

const program = new Command('lucca-connectors').description('Operate the Lucca connectors (Elevo user sync, Aequivalent screening orders).');

const schedules = program.command('schedules').description('Temporal Schedules, one per tenant and connector');
schedules
  .command('apply')
  .description('create or update every schedule from the config')
  .action(() =>
    withContext(async (ctx) => {
      for (const s of await applySchedules(ctx.client, ctx.loaded.config, ctx.settings.taskQueue)) console.log(`${s.action.padEnd(8)} ${s.scheduleId}`);
    }),
  );
for (const verb of ['trigger', 'pause', 'unpause'] as const) {
  schedules
    .command(`${verb} <connector>`)
    .description(`${verb} the schedule of a connector for a tenant`)
    .requiredOption('-t, --tenant <id>', 'tenant id')
    .action((connector: string, opts: { tenant: string }) =>
      withContext(async (ctx) => {
        connectorByName(tenantOf(ctx, opts.tenant), connector);
        const handle = ctx.client.schedule.getHandle(scheduleIdOf(connector, opts.tenant));
        if (verb === 'trigger') await handle.trigger();
        else if (verb === 'pause') await handle.pause('paused from the CLI');
        else await handle.unpause('unpaused from the CLI');
        console.log(`${verb}: ${scheduleIdOf(connector, opts.tenant)}`);
      }),
    );
}
schedules
  .command('backfill <connector>')
  .description('run the scheduled action for every scheduled time in a date range (inclusive)')
  .requiredOption('-t, --tenant <id>', 'tenant id')
  .requiredOption('--from <date>', 'first day, YYYY-MM-DD', isoDate)
  .requiredOption('--to <date>', 'last day, YYYY-MM-DD', isoDate)
  .action((connector: string, opts: { tenant: string; from: string; to: string }) =>
    withContext(async (ctx) => {
      connectorByName(tenantOf(ctx, opts.tenant), connector);
      const start = new Date(`${opts.from}T00:00:00Z`);
      const end = new Date(new Date(`${opts.to}T00:00:00Z`).getTime() + 48 * 3600_000); // covers every time zone
      await ctx.client.schedule.getHandle(scheduleIdOf(connector, opts.tenant)).backfill({ start, end });
      console.log(`backfill requested for ${scheduleIdOf(connector, opts.tenant)} from ${opts.from} to ${opts.to}`);
    }),
  );

program
  .command('run <connector>')
  .description('run a connector now for one tenant')
  .requiredOption('-t, --tenant <id>', 'tenant id')
  .option('--dry-run', 'compute and report the plan, write nothing')
  .option('--date <date>', 'run date (default: today in the tenant time zone)', isoDate)
  .option('-w, --wait', 'wait for the end, printing progress')
  .action((connector: string, opts: { tenant: string; dryRun?: boolean; date?: string; wait?: boolean }) =>
    withContext(async (ctx) => {
      const tenant = tenantOf(ctx, opts.tenant);
      const entry = connectorByName(tenant, connector);
      const runDate = opts.date ?? todayIn(tenant.timeZone, new Date());
      const base = entry.name === 'elevo-user-sync' ? elevoUserSyncWorkflowId(tenant.id, runDate) : `${entry.name}/${tenant.id}/${runDate}`;
      const workflowId = `${base}${opts.dryRun ? '/dry-run' : ''}/manual-${Date.now()}`;
      const handle = await ctx.client.workflow.start(entry.workflowType, {
        workflowId,
        taskQueue: ctx.settings.taskQueue,
        args: [{ tenantId: tenant.id, runDate, ...(opts.dryRun ? { dryRun: true } : {}) }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      console.log(`started ${workflowId}`);
      if (!opts.wait) return;
      const done = handle.result();
      let finished = false;
      void done.finally(() => (finished = true)).catch(() => undefined);
      while (!finished && entry.name === 'elevo-user-sync') {
        const p = await handle.query(elevoSyncProgressQuery).catch(() => undefined);
        if (p) console.log(`  ${p.status}${p.batchesTotal ? ` — batch ${p.batchesDone}/${p.batchesTotal}, ${p.applied} applied, ${p.failed} failed` : ''}`);
        if (p?.status === 'held') console.log(`  held: approve with \`lucca-connectors approve ${workflowId} --by <you>\``);
        await new Promise((r) => setTimeout(r, 2000));
      }
      console.log(JSON.stringify(await done, null, 2));
    }),
  );

for (const [verb, update] of [['approve', approveElevoSyncUpdate], ['reject', rejectElevoSyncUpdate]] as const) {
  program
    .command(`${verb} <workflowId>`)
    .description(`${verb} a run held by the deletion safety`)
    .requiredOption('--by <name>', 'who decides (kept in the run report)')
    .option('--comment <text>', 'why')
    .action((workflowId: string, opts: { by: string; comment?: string }) =>
      withContext(async (ctx) => {
        await ctx.client.workflow.getHandle(workflowId).executeUpdate(update, { args: [{ by: opts.by, comment: opts.comment }] });
        console.log(`${verb}d ${workflowId}`);
      }),
    );
}

program
  .command('runs')
  .description('list recent runs')
  .option('-t, --tenant <id>', 'only this tenant')
  .option('-c, --connector <name>', 'only this connector')
  .option('-e, --employee <luccaId>', 'only runs about this Lucca employee id')
  .option('-n, --limit <n>', 'how many', (v) => Number(v), 20)
  .action((opts: { tenant?: string; connector?: string; employee?: string; limit: number }) =>
    withContext(async (ctx) => {
      const clauses = [
        opts.tenant && `LuccaTenantId = '${opts.tenant.replace(/'/g, '')}'`,
        opts.connector && `LuccaConnector = '${opts.connector.replace(/'/g, '')}'`,
        opts.employee && `LuccaEmployeeId = '${opts.employee.replace(/'/g, '')}'`,
      ].filter(Boolean);
      let n = 0;
      for await (const wf of ctx.client.workflow.list({ query: clauses.join(' AND ') || undefined })) {
        const state = wf.searchAttributes?.LuccaRunState?.[0] ?? '';
        console.log(`${wf.startTime.toISOString()}  ${wf.status.name.padEnd(10)} ${String(state).padEnd(12)} ${wf.workflowId}`);
        if (++n >= opts.limit) break;
      }
    }),
  );

program
  .command('report <workflowId>')
  .description('print the report of a finished Elevo sync run')
  .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'csv']).default('text'))
  .action((workflowId: string, opts: { format: 'text' | 'json' | 'csv' }) =>
    withContext(async (ctx) => {
      const result = (await ctx.client.workflow.getHandle(workflowId).result()) as ElevoSyncResult;
      const report = await ctx.artifacts.getJson<RunReport>(result.reportKey);
      if (!report) throw new Error(`the report of ${workflowId} is not in ${ctx.settings.dataDir} (set LUCCA_CONNECTORS_DATA_DIR to the workers' data directory)`);
      process.stdout.write(opts.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : opts.format === 'csv' ? renderReportCsv(report) : renderReportText(report));
    }),
  );

program
  .command('tenants')
  .description('list configured tenants and their connectors')
  .action(async () => {
    const { config } = loadConfig();
    for (const t of config.tenants) console.log(`${t.id.padEnd(16)} ${t.timeZone.padEnd(16)} ${connectorsOf(t).map((c) => c.name).join(', ')}`);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : `error: ${(err as Error).message}`);
  process.exit(1);
});
