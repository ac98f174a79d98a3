import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { connectorsOf } from '../connectors/registry';
import { buildRuntime, type ConnectorsRuntime } from '../runtime/connectors-runtime';
import { runTenantChecks } from './tenant-check-command';
import type { TenantCheckReport } from '../onboarding/check-finding';
import {
  configWithTenant,
  isSecretReference,
  storeSecret,
  typedSecretsDirOf,
  writeConfigAtomically,
  type NewTenant,
} from '../onboarding/tenant-entry';

interface AddOptions {
  luccaUrl?: string;
  luccaKey?: string;
  elevoUrl?: string;
  elevoToken?: string;
  aequivalentUrl?: string;
  aequivalentKey?: string;
  aequivalentWebhookSecret?: string;
  timeZone?: string;
  check: boolean;
  interactive?: boolean;
}

type Ask = (question: string) => Promise<string>;

/** A secret from a flag must be a reference; one typed at the prompt may be the value (kept in a file). */
async function secret(
  ctx: ConnectorsRuntime,
  ask: Ask | undefined,
  tenantId: string,
  name: string,
  given: string | undefined,
  label: string,
): Promise<string> {
  if (given !== undefined) {
    if (!isSecretReference(given))
      throw new Error(`--${name} must be a reference "env:NAME" or "file:PATH": a secret on the command line ends up in shell history`);
    return given;
  }
  if (!ask) throw new Error(`--${name} is required (or run interactively)`);
  const answer = (await ask(`${label} (paste it, or a reference env:NAME / file:PATH): `)).trim();
  if (!answer) throw new Error(`${label} is required`);
  return isSecretReference(answer) ? answer : storeSecret(typedSecretsDirOf(ctx.loaded), tenantId, name, answer);
}

async function value(ask: Ask | undefined, given: string | undefined, question: string, required: boolean): Promise<string | undefined> {
  if (given !== undefined || !ask) return given;
  const answer = (await ask(question)).trim();
  if (!answer && required) throw new Error(`${question.replace(/[:?].*$/, '')} is required`);
  return answer || undefined;
}

async function collectTenant(ctx: ConnectorsRuntime, id: string, opts: AddOptions, ask: Ask | undefined): Promise<NewTenant> {
  const luccaUrl = await value(ask, opts.luccaUrl, 'Lucca URL (https://<company>.ilucca.net): ', true);
  if (!luccaUrl) throw new Error('--lucca-url is required');
  const tenant: NewTenant = {
    id,
    ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
    lucca: { baseUrl: luccaUrl, apiKey: await secret(ctx, ask, id, 'lucca-key', opts.luccaKey, 'Lucca API key') },
  };
  const elevoUrl = await value(ask, opts.elevoUrl, 'Elevo account API URL (empty: no Elevo sync): ', false);
  if (elevoUrl) tenant.elevo = { baseUrl: elevoUrl, token: await secret(ctx, ask, id, 'elevo-token', opts.elevoToken, 'Elevo token') };
  const aeqUrl = await value(ask, opts.aequivalentUrl, 'Aequivalent account API URL (empty: no screening orders): ', false);
  if (aeqUrl) {
    tenant.aequivalent = {
      baseUrl: aeqUrl,
      apiKey: await secret(ctx, ask, id, 'aequivalent-key', opts.aequivalentKey, 'Aequivalent API key'),
      webhookSecret: await secret(ctx, ask, id, 'aequivalent-webhook-secret', opts.aequivalentWebhookSecret, 'Aequivalent webhook secret'),
    };
  }
  return tenant;
}

function leftToDo(ctx: ConnectorsRuntime, tenant: NewTenant, report: TenantCheckReport | undefined): string[] {
  const config = ctx.loaded.config.tenants.find((t) => t.id === tenant.id);
  const todo: string[] = [];
  if (!report) todo.push(`Check the customer's set-up: lucca-connectors tenants check ${tenant.id}`);
  else if (!report.canRun)
    todo.push(`Have the customer fix the findings marked FAIL above in Lucca, then: lucca-connectors tenants check ${tenant.id}`);
  todo.push(
    `Running workers pick the tenant up within seconds (they watch ${ctx.loaded.path}; SIGHUP reloads at once) and create its schedules:`,
  );
  for (const c of config ? connectorsOf(config) : [])
    todo.push(
      `  ${c.name} daily at ${String(c.schedule.at.hour).padStart(2, '0')}:${String(c.schedule.at.minute).padStart(2, '0')} ${config!.timeZone}`,
    );
  todo.push('Workers on other machines need this file and its secret files too.');
  const envRefs = JSON.stringify(tenant).match(/env:[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  if (envRefs.length)
    todo.push(
      `Set ${[...new Set(envRefs)].map((r) => r.slice(4)).join(', ')} in every worker's environment (a worker reads an environment variable only at start; file: references need no restart).`,
    );
  if (tenant.aequivalent)
    todo.push(
      `Give Aequivalent the webhook URL <receiver>/webhooks/aequivalent/${tenant.id} and the webhook secret (the receiver must be restarted to know the tenant).`,
    );
  if (tenant.elevo) todo.push(`A first plan without writing anything: lucca-connectors run ${tenant.id} elevo-user-sync --dry-run --wait`);
  return todo;
}

export function registerTenantAddCommand(tenants: Command): void {
  tenants
    .command('add <tenant>')
    .description(
      'add a tenant to the config file (secrets as references), check it, and print what is left to do; asks for what is missing when run in a terminal',
    )
    .option('--lucca-url <url>', 'https://<company>.ilucca.net')
    .option('--lucca-key <ref>', 'reference to the Lucca API key: env:NAME or file:PATH')
    .option('--elevo-url <url>', 'Elevo provisioning API of the account (enables the Elevo sync)')
    .option('--elevo-token <ref>', 'reference to the Elevo token')
    .option('--aequivalent-url <url>', 'Aequivalent orders API of the account (enables screening orders)')
    .option('--aequivalent-key <ref>', 'reference to the Aequivalent API key')
    .option('--aequivalent-webhook-secret <ref>', 'reference to the webhook HMAC secret')
    .option('--time-zone <zone>', 'IANA zone (default Europe/Paris)')
    .option('--no-check', 'do not run the check')
    .option('-i, --interactive', 'ask for every missing value (default when stdin is a terminal)')
    .action(async (id: string, opts: AddOptions) => {
      const ctx = buildRuntime();
      const rl = opts.interactive || process.stdin.isTTY ? createInterface({ input: process.stdin, terminal: false }) : undefined;
      // Lines are buffered by the iterator, so answers piped in all at once are not lost between questions.
      const lines = rl?.[Symbol.asyncIterator]();
      const ask: Ask | undefined = lines
        ? async (question) => {
            process.stdout.write(question);
            const next = await lines.next();
            return next.done ? '' : String(next.value);
          }
        : undefined;
      try {
        const tenant = await collectTenant(ctx, id, opts, ask);
        const storedSecrets = JSON.stringify(tenant).includes(`file:${typedSecretsDirOf(ctx.loaded)}/`);
        writeConfigAtomically(
          ctx.loaded.path,
          configWithTenant(
            ctx.loaded,
            readFileSync(ctx.loaded.path, 'utf8'),
            tenant,
            storedSecrets ? typedSecretsDirOf(ctx.loaded) : undefined,
          ),
        );
        console.log(`tenant ${id} added to ${ctx.loaded.path}`);
        const fresh = buildRuntime();
        const report = opts.check
          ? (
              await runTenantChecks(
                fresh,
                fresh.loaded.config.tenants.filter((t) => t.id === id),
                {},
              )
            )[0]
          : undefined;
        console.log(
          ['', 'Left to do:', ...leftToDo(fresh, tenant, report).map((l) => (l.startsWith('  ') ? `  ${l}` : `  - ${l}`))].join('\n'),
        );
        if (report && !report.canRun) process.exitCode = 1;
      } finally {
        rl?.close();
      }
    });
}
