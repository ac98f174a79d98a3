import { WorkflowIdReusePolicy } from '@temporalio/client';
import { InvalidArgumentError, type Command } from 'commander';
import type { RunReport, RunReportLine } from '../connectors/elevo-user-sync/domain/run-report';
import { ELEVO_USER_SYNC, ELEVO_USER_SYNC_CONNECTOR, type ElevoSyncResult } from '../connectors/elevo-user-sync/contract';
import { connectorRunAttributes } from '../shared/search-attributes';
import type { ClientContext } from './temporal-context';
import { todayIn } from '../activities/tenant-clock';

type WithContext = (fn: (ctx: ClientContext) => Promise<void>) => Promise<void>;

const luccaId = (value: string) => {
  if (!/^\d{1,12}$/.test(value)) throw new InvalidArgumentError('expected a Lucca user id (digits)');
  return Number(value);
};

/**
 * `sync-employee <tenant> <lucca-id> [--dry-run]`: Entra-style "provision on demand". Runs the
 * ordinary Elevo sync targeted at one employee (same rules, safety checks, tenant lock and report),
 * waits for it and prints that employee's plan: action, reason code, each field before → after.
 */
export function registerSyncEmployeeCommand(program: Command, withContext: WithContext): void {
  program
    .command('sync-employee <tenant> <lucca-id>')
    .description(
      'sync one employee to Elevo now (and their reports when the change affects them); prints the plan: field before → after, reason code',
    )
    .option('--dry-run', 'show the plan, write nothing')
    .action((tenantId: string, rawId: string, opts: { dryRun?: boolean }) =>
      withContext(async (ctx) => {
        const id = luccaId(rawId);
        const tenant = ctx.loaded.config.tenants.find((t) => t.id === tenantId);
        if (!tenant?.elevo?.enabled) throw new Error(`tenant "${tenantId}" has no Elevo sync enabled`);
        const runDate = todayIn(tenant.timeZone, new Date());
        const workflowId = `${ELEVO_USER_SYNC_CONNECTOR}/${tenantId}/employee/${opts.dryRun ? 'dry-run-' : ''}${Date.now()}`;
        const handle = await ctx.client.workflow.start(ELEVO_USER_SYNC, {
          workflowId,
          taskQueue: ctx.settings.taskQueue,
          args: [{ tenantId, runDate, employeeIds: [id], ...(opts.dryRun ? { dryRun: true } : {}) }],
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          typedSearchAttributes: connectorRunAttributes(tenantId, ELEVO_USER_SYNC_CONNECTOR),
          staticSummary: `elevo-user-sync — ${tenantId} — one employee${opts.dryRun ? ' (dry run)' : ''} (on demand)`,
        });
        console.log(`started ${workflowId}`);
        const result = (await handle.result()) as ElevoSyncResult;
        const report = await ctx.artifacts.getJson<RunReport>(result.reportKey);
        console.log(renderEmployeePlan(result, report?.lines ?? [], id));
      }),
    );
}

/** The employee's lines (theirs first, then reports re-planned with them), and the run's outcome. */
export function renderEmployeePlan(result: ElevoSyncResult, lines: RunReportLine[], luccaId: number): string {
  const out = [`${result.status}: ${result.applied} applied, ${result.failed} failed (Lucca requests: ${result.luccaRequests})`];
  if (result.holdReasons.length > 0)
    out.push(`held: ${result.holdReasons.map((r) => r.code).join(', ')} — decide with \`lucca-connectors approve|reject\``);
  const ordered = [...lines.filter((l) => l.luccaId === luccaId), ...lines.filter((l) => l.luccaId !== luccaId)];
  if (!ordered.some((l) => l.luccaId === luccaId))
    out.push(`employee ${luccaId}: nothing to do (Elevo is already in line, or the employee is unknown to both)`);
  for (const line of ordered) {
    out.push(
      `employee ${line.luccaId ?? '-'}${line.elevoId ? ` (Elevo ${line.elevoId})` : ''}: ${line.action} — ${line.reason}${line.detail ? ` (${line.detail})` : ''} — ${line.outcome}${line.error ? ` (${line.error})` : ''}`,
    );
    for (const c of line.changes ?? []) out.push(`  ${c.field}: ${c.before ?? '∅'} → ${c.after ?? '∅'}`);
    if (line.managerIssue) out.push(`  manager not set: ${line.managerIssue}`);
  }
  return out.join('\n');
}
