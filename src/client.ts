import { writeFileSync } from 'node:fs';
import { ScheduleOverlapPolicy, WorkflowIdReusePolicy, type WorkflowExecutionStatusName } from '@temporalio/client';
import { Command, InvalidArgumentError, Option } from 'commander';
import { todayIn } from './activities/tenant-clock';
import { eraseEmployee, renderErasure } from './client/erase-employee';
import { createProgressPrinter } from './client/progress-bar';
import { applySchedules, backfillWindow, listSchedules, scheduleIdOf } from './client/schedules';
import { ensureChangeFeeds } from './freshness/ensure-change-feeds';
import { openClientContext, type ClientContext, type ClientContextOptions } from './client/temporal-context';
import type { TenantConfig } from './config/config-schema';
import { ConfigError } from './config/load-config';
import { describeOrThrow, renderRunReport } from './client/run-reports';
import { uiUrlFromEnv, workflowUiLink } from './client/ui-link';
import { REPORT_FORMATS, type ReportFormat } from './reports/report-document';
import { runOutcomeWords } from './client/run-outcome-words';
import { cancelOrderUpdate, SCREENING_ORDER } from './connectors/aequivalent-screening/contract';
import { connectorRunAttributes } from './shared/search-attributes';
import { registerTenantAddCommand } from './client/tenant-add-command';
import { registerTenantCheckCommand } from './client/tenant-check-command';
import { registerTenantListCommand } from './client/tenant-list-command';
import { registerSyncEmployeeCommand } from './client/sync-employee-command';
import { CONNECTOR_NAMES, CONNECTORS, connectorByName } from './connectors/registry';
import { approveElevoSyncUpdate, rejectElevoSyncUpdate } from './connectors/elevo-user-sync/contract';
import { describeOperator } from './shared/operator-identity';
import { generateOperatorKey, signOperatorCommand } from './codec/operator-keys';
import { operatorSigningKey } from './client/operator-signing-key';
import { operatorIdentityFromEnv } from './client/operator-identity';
import { prepareDeployment } from './setup/prepare-deployment';
import { luccaEndpointLines } from './setup/lucca-endpoints-setup';
import { NotReadyError } from './setup/readiness-check';
import { SetupRefusedError } from './setup/setup-refused-error';
import { storeSchemaOf } from './setup/store-schema';
import { KEY_MATERIAL_CACHE_MS } from './storage/sealed-artifact-store';
import { TemporalConnectionError } from './runtime/temporal-connection';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * The operator's CLI (`npx lucca-connectors …` or `npm run client -- …`): schedules, backfills,
 * runs, approvals, run lists and reports. It reads the same config as the worker (and so the same
 * payload keys and artifact store).
 */
async function withContext(fn: (ctx: ClientContext) => Promise<void>, options: ClientContextOptions = {}): Promise<void> {
  const ctx = await openClientContext(options);
  try {
    await fn(ctx);
  } finally {
    await ctx.close();
  }
}

const isoDate = (value: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
    throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  return value;
};

function tenantOf(ctx: { loaded: ClientContext['loaded'] }, id: string): TenantConfig {
  const tenant = ctx.loaded.config.tenants.find((t) => t.id === id);
  if (!tenant) throw new Error(`unknown tenant "${id}" (configured: ${ctx.loaded.config.tenants.map((t) => t.id).join(', ')})`);
  return tenant;
}

async function describeRun(ctx: ClientContext, workflowId: string) {
  return describeOrThrow(ctx.client, workflowId);
}

function uiLink(ctx: ClientContext, workflowId: string, runId: string): string {
  return workflowUiLink(uiUrlFromEnv(), ctx.settings.namespace, workflowId, runId);
}

const reportDeps = (ctx: ClientContext) => ({ client: ctx.client, artifacts: ctx.artifacts, location: ctx.artifacts.location });

const program = new Command('lucca-connectors')
  .description(`Operate the Lucca connectors: ${CONNECTORS.map((c) => c.title).join(', ')}.`)
  .showHelpAfterError('(add --help for usage)');

// ── setup ────────────────────────────────────────────────────────────────────────────────────
program
  .command('setup')
  .description(
    'prepare a Temporal cluster and the store: namespace (with the configured retention), search attributes, store migrations; safe to run again',
  )
  .action(() =>
    withContext(
      async (ctx) => {
        const lines = await prepareDeployment({
          services: ctx.connection,
          namespace: ctx.settings.namespace,
          retentionDays: ctx.loaded.config.temporal.retentionDays,
          store: storeSchemaOf(ctx.artifacts),
          storeDescription: `filesystem store ${ctx.settings.dataDir}`,
        });
        for (const line of lines) console.log(line);
        for (const line of await luccaEndpointLines(ctx.loaded.config, ctx.loaded.path)) console.log(line);
      },
      { checkReadiness: false },
    ),
  );

// ── schedules ────────────────────────────────────────────────────────────────────────────────
const schedules = program.command('schedules').description('one Temporal Schedule per tenant and connector');
schedules
  .command('apply')
  .description('create or update every schedule from the config; delete those of removed tenants')
  .action(() =>
    withContext(async (ctx) => {
      const applied = await applySchedules(ctx.client, ctx.loaded.config, ctx.settings.taskQueue);
      for (const s of applied) console.log(`${s.action.padEnd(8)} ${s.scheduleId}`);
      for (const feed of await ensureChangeFeeds(ctx.client, ctx.loaded.config, ctx.settings.taskQueue)) console.log(`running  ${feed}`);
    }),
  );
schedules
  .command('list')
  .description('the schedules, their state and next runs')
  .action(() =>
    withContext(async (ctx) => {
      for (const s of await listSchedules(ctx.client)) {
        const next = s.nextRuns.map((d) => d.toISOString()).join(', ') || '-';
        console.log(
          `${s.scheduleId.padEnd(40)} ${(s.paused ? 'paused' : 'active').padEnd(7)} next: ${next}${s.note ? `  (${s.note})` : ''}`,
        );
      }
    }),
  );
for (const verb of ['pause', 'resume', 'trigger'] as const) {
  schedules
    .command(`${verb} <tenant> <connector>`)
    .description(verb === 'trigger' ? 'run the scheduled action now' : `${verb} a schedule`)
    .action((tenantId: string, connector: string) =>
      withContext(async (ctx) => {
        connectorByName(tenantOf(ctx, tenantId), connector);
        const handle = ctx.client.schedule.getHandle(scheduleIdOf(connector, tenantId));
        if (verb === 'trigger') await handle.trigger();
        else if (verb === 'pause') await handle.pause('paused from the CLI');
        else await handle.unpause('resumed from the CLI');
        console.log(`${verb}: ${scheduleIdOf(connector, tenantId)}`);
      }),
    );
}

// ── backfill ─────────────────────────────────────────────────────────────────────────────────
program
  .command('backfill <tenant> <connector>')
  .description('run the scheduled action once per scheduled time in a date range (inclusive, tenant time zone)')
  .requiredOption('--from <date>', 'first day, YYYY-MM-DD', isoDate)
  .requiredOption('--to <date>', 'last day, YYYY-MM-DD', isoDate)
  .action((tenantId: string, connector: string, opts: { from: string; to: string }) =>
    withContext(async (ctx) => {
      const tenant = tenantOf(ctx, tenantId);
      const { definition } = connectorByName(tenant, connector);
      if (definition.backfillRefusal) throw new Error(definition.backfillRefusal(tenantId));
      if (opts.to < opts.from) throw new Error('--to is before --from');
      const { start, end } = backfillWindow(opts.from, opts.to, tenant.timeZone);
      // Buffer rather than skip: the backfilled runs follow one another instead of being dropped as overlaps.
      await ctx.client.schedule
        .getHandle(scheduleIdOf(connector, tenantId))
        .backfill({ start, end, overlap: ScheduleOverlapPolicy.BUFFER_ALL });
      console.log(
        `backfill of ${scheduleIdOf(connector, tenantId)} from ${opts.from} to ${opts.to} requested (one run per scheduled time)`,
      );
    }),
  );

// ── run ──────────────────────────────────────────────────────────────────────────────────────
program
  .command('run <tenant> <connector>')
  .description('run a connector now for one tenant')
  .option('--dry-run', 'Elevo sync: compute and report the plan, write nothing')
  .option('--date <date>', 'run date (default: today in the tenant time zone)', isoDate)
  .option('-w, --wait', 'wait for the end, with a live progress bar')
  .action((tenantId: string, connector: string, opts: { dryRun?: boolean; date?: string; wait?: boolean }) =>
    withContext(async (ctx) => {
      const tenant = tenantOf(ctx, tenantId);
      const { definition } = connectorByName(tenant, connector);
      if (opts.dryRun && !definition.supportsDryRun)
        throw new Error(
          `--dry-run applies to ${CONNECTORS.filter((c) => c.supportsDryRun)
            .map((c) => c.name)
            .join(', ')} only`,
        );
      const runDate = opts.date ?? todayIn(tenant.timeZone, new Date());
      const workflowId = `${definition.runWorkflowId(tenant.id, runDate)}${opts.dryRun ? '/dry-run' : ''}/manual-${Date.now()}`;
      await definition.beforeManualRun?.(ctx.client, tenant.id, { dryRun: opts.dryRun === true });
      const handle = await ctx.client.workflow.start(definition.workflowType, {
        workflowId,
        taskQueue: ctx.settings.taskQueue,
        args: [{ tenantId: tenant.id, runDate, ...(opts.dryRun ? { dryRun: true } : {}) }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: connectorRunAttributes(tenant.id, definition.name),
        staticSummary: `${definition.name} — ${tenant.id} — ${runDate}${opts.dryRun ? ' (dry run)' : ''} (manual run)`,
      });
      console.log(`started ${workflowId}`);
      console.log(`  Web UI: ${uiLink(ctx, workflowId, handle.firstExecutionRunId)}`);
      if (!opts.wait) return;
      const printer = createProgressPrinter();
      let finished = false;
      const done = handle.result().finally(() => (finished = true));
      let heldShown = false;
      while (!finished && definition.progress) {
        const p = await definition.progress(handle);
        if (p) printer.update(p.line);
        if (p?.heldBecause && !heldShown) {
          heldShown = true;
          printer.done();
          console.log(`held: ${p.heldBecause.join(', ')} — decide with \`lucca-connectors approve|reject ${workflowId}\``);
        }
        await Promise.race([done.catch(() => undefined), delay(1000)]);
      }
      printer.done();
      await done;
      // A dry run prints its plan (that is what it is for); a real run its summary only — no per-person
      // line in a terminal that may be logged — and how to see the rest.
      process.stdout.write(await renderRunReport(reportDeps(ctx), workflowId, opts.dryRun ? 'text' : 'summary'));
      if (!opts.dryRun) console.log(`full report: lucca-connectors report ${workflowId} --format text|csv|json|html`);
    }),
  );

// ── approve / reject ─────────────────────────────────────────────────────────────────────────
// Each decision is signed with the operator's key, bound to this run, with a fresh nonce: the worker
// records the operator the signature proves (docs/operator-commands.md).
for (const [verb, update] of [
  ['approve', approveElevoSyncUpdate],
  ['reject', rejectElevoSyncUpdate],
] as const) {
  program
    .command(`${verb} <run>`)
    .description(
      `${verb} a run held by the deletion safety (<run> is its workflow id); signed with your operator key (LUCCA_CONNECTORS_OPERATOR_KEY_FILE)`,
    )
    .option('--comment <text>', 'why')
    .action((run: string, opts: { comment?: string }) =>
      withContext(async (ctx) => {
        const { runId } = await describeRun(ctx, run);
        const decision = signOperatorCommand(
          { ...ctx.identity, ...(opts.comment ? { comment: opts.comment } : {}) },
          { command: verb, workflowId: run, runId },
          operatorSigningKey(ctx.loaded.path),
        );
        await ctx.client.workflow.getHandle(run, runId).executeUpdate(update, { args: [decision] });
        console.log(`${verb}d ${run}, signed with operator key ${decision.$operatorProof.keyId}`);
      }),
    );
}

// ── cancel (screening order) ─────────────────────────────────────────────────────────────────
program
  .command('cancel <order>')
  .description(
    'cancel a screening order (<order> is its workflow id): the dossier is cancelled at Aequivalent; signed with your operator key',
  )
  .option('--reason <text>', 'why')
  .action((order: string, opts: { reason?: string }) =>
    withContext(async (ctx) => {
      const description = await describeRun(ctx, order);
      if (description.type !== SCREENING_ORDER) throw new Error(`"${order}" is not a screening order (it is a ${description.type} run)`);
      if (description.status.name !== 'RUNNING')
        throw new Error(
          `order "${order}" has already ended (${description.status.name.toLowerCase()}); see \`lucca-connectors report ${order}\``,
        );
      const request = signOperatorCommand(
        { ...ctx.identity, ...(opts.reason ? { reason: opts.reason } : {}) },
        { command: 'cancelOrder', workflowId: order, runId: description.runId },
        operatorSigningKey(ctx.loaded.path),
      );
      const state = await ctx.client.workflow.getHandle(order, description.runId).executeUpdate(cancelOrderUpdate, { args: [request] });
      console.log(
        `cancelled ${order} as ${state.cancelledBy ? describeOperator(state.cancelledBy) : '?'} (stage: ${state.stage}${state.dossierId ? `, dossier ${state.dossierId}` : ''}); follow it with \`lucca-connectors report ${order}\``,
      );
    }),
  );

program
  .command('operator-key')
  .description(
    'create your operator key pair: the private key goes to --out (readable by you only), the public key is printed for the config `operators` list',
  )
  .requiredOption('--out <file>', 'where to write the private key (PEM)')
  .option('--name <name>', 'your name as reports will show it', operatorIdentityFromEnv().by)
  .action((opts: { out: string; name: string }) => {
    const key = generateOperatorKey();
    writeFileSync(opts.out, key.privateKeyPem, { mode: 0o600, flag: 'wx' });
    console.log(`private key written to ${opts.out}; set LUCCA_CONNECTORS_OPERATOR_KEY_FILE=${opts.out}`);
    console.log(
      `add to the config (key ${key.keyId}):\noperators:\n  - { name: ${JSON.stringify(opts.name)}, publicKey: ${key.publicKey} }`,
    );
  });

// ── runs ─────────────────────────────────────────────────────────────────────────────────────
const STATUSES: WorkflowExecutionStatusName[] = [
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TERMINATED',
  'TIMED_OUT',
  'CONTINUED_AS_NEW',
];
program
  .command('runs')
  .description('recent runs, newest first')
  .option('-t, --tenant <id>', 'only this tenant')
  .option('-c, --connector <name>', `only this connector (${CONNECTOR_NAMES.join(', ')})`)
  .option('-e, --employee <luccaId>', 'only screening orders of this Lucca employee id')
  .option(
    '-s, --status <status>',
    `Temporal status (${STATUSES.join(', ')}) or run stage (held, applying, following, completed, …; never a screening outcome)`,
  )
  .option('-n, --limit <n>', 'how many', (v) => Number(v), 20)
  .action((opts: { tenant?: string; connector?: string; employee?: string; status?: string; limit: number }) =>
    withContext(async (ctx) => {
      if (opts.tenant) tenantOf(ctx, opts.tenant);
      const q = (v: string) => `'${v.replace(/[^A-Za-z0-9_./-]/g, '')}'`;
      const status = opts.status?.toUpperCase();
      const clauses = [
        opts.tenant && `LuccaTenantId = ${q(opts.tenant)}`,
        opts.connector && `LuccaConnector = ${q(opts.connector)}`,
        opts.employee && `LuccaEmployeeId = ${q(opts.employee)}`,
        opts.status &&
          (STATUSES.includes(status as WorkflowExecutionStatusName)
            ? `ExecutionStatus = ${q(toPascal(status!))}`
            : `LuccaRunState = ${q(opts.status)}`),
      ].filter(Boolean);
      let n = 0;
      for await (const wf of ctx.client.workflow.list({ query: clauses.join(' AND ') || undefined })) {
        const attr = (key: string) => String(wf.searchAttributes?.[key]?.[0] ?? '');
        const result: unknown =
          wf.status.name === 'COMPLETED'
            ? await ctx.client.workflow
                .getHandle(wf.workflowId, wf.runId)
                .result()
                .catch(() => undefined)
            : undefined;
        const outcome = runOutcomeWords(wf.type, wf.status.name, attr('LuccaRunState'), result);
        console.log(
          `${wf.startTime.toISOString()}  ${attr('LuccaTenantId').padEnd(10)} ${attr('LuccaConnector').padEnd(22)} ${wf.status.name.padEnd(10)} ${outcome}`,
        );
        console.log(`    ${wf.workflowId}`);
        if (++n >= opts.limit) break;
      }
      if (n === 0) console.log('no run matches');
    }),
  );

function toPascal(status: string): string {
  return status.toLowerCase().replace(/(^|_)(\w)/g, (_m, _s, c: string) => c.toUpperCase());
}

// ── report ───────────────────────────────────────────────────────────────────────────────────
program
  .command('report <run>')
  .description('the report of a run: an Elevo sync (or its dry-run plan), a screening intake or a screening order')
  .addOption(
    new Option('-f, --format <format>', 'text, csv, json, or html (one self-contained page)').choices([...REPORT_FORMATS]).default('text'),
  )
  .option('-o, --output <file>', 'write to this file instead of the terminal')
  .action((run: string, opts: { format: ReportFormat; output?: string }) =>
    withContext(async (ctx) => {
      const text = await renderRunReport(reportDeps(ctx), run, opts.format);
      if (opts.output) {
        writeFileSync(opts.output, text, { mode: 0o600 }); // personal data: readable by its owner only
        console.log(`report written to ${opts.output}`);
      } else process.stdout.write(text);
    }),
  );

// ── erase ────────────────────────────────────────────────────────────────────────────────────
program
  .command('erase')
  .description("right to erasure: remove one employee's data from the artifact store and delete their workflows")
  .requiredOption('-t, --tenant <id>', 'the tenant')
  .requiredOption('-e, --employee <luccaId>', 'the Lucca employee id', (v) => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError('expected a Lucca employee id (digits)');
    return Number(v);
  })
  .action((opts: { tenant: string; employee: number }) =>
    withContext(async (ctx) => {
      tenantOf(ctx, opts.tenant);
      const erased = await eraseEmployee(
        { client: ctx.client, namespace: ctx.settings.namespace, artifacts: ctx.artifacts },
        opts.tenant,
        opts.employee,
      );
      process.stdout.write(renderErasure(opts.tenant, opts.employee, erased));
    }),
  );

program
  .command('shred-tenant <tenant>')
  .description("crypto-shredding: destroy a tenant's artifact key material, then its artifacts (copies made before no longer open)")
  .option('--yes', 'confirm: this cannot be undone')
  .action((tenant: string, opts: { yes?: boolean }) =>
    withContext(async (ctx) => {
      if (!opts.yes)
        throw new Error(
          `shredding tenant "${tenant}" cannot be undone: add --yes (remove the tenant from the config first; its id can never get keys again)`,
        );
      const removed = await ctx.artifacts.shredTenant(tenant);
      console.log(
        `Shredded tenant ${tenant}: key material destroyed (every worker and codec server stops using it within ${KEY_MATERIAL_CACHE_MS / 1000} s), ${removed} artifacts removed from ${ctx.artifacts.location}`,
      );
    }),
  );

// ── tenants ──────────────────────────────────────────────────────────────────────────────────
const tenantsCommand = program.command('tenants').description('tenants: list (default), check, add');
registerTenantListCommand(tenantsCommand);
registerTenantCheckCommand(tenantsCommand);
registerTenantAddCommand(tenantsCommand);
registerSyncEmployeeCommand(program, withContext);

if (require.main === module) {
  program.parseAsync(process.argv).catch((err: unknown) => {
    const oneLiners = [ConfigError, TemporalConnectionError, NotReadyError, SetupRefusedError];
    const message = oneLiners.some((type) => err instanceof type) ? (err as Error).message : `error: ${(err as Error).message}`;
    console.error(message);
    process.exit(1);
  });
}
