import { todayIn } from '../activities/tenant-clock';
import type { TenantConfig } from '../config/config-schema';
import { SecretResolutionError } from '../config/secret-reference';
import { IntegrationError } from '../integrations/http/integration-error';
import { LuccaClient } from '../integrations/lucca/lucca-client';
import { finding, isBlocking, type CheckFinding, type ConnectorCheckResult, type TenantCheckReport } from './check-finding';
import type { ConnectorCheckContext, ConnectorOnboardingCheck } from './connector-check';
import { CONNECTORS } from '../connectors/registry';
import { takeLuccaSnapshot, type LuccaAccessSnapshot, type LuccaNeeds } from './lucca-access-snapshot';
import { advice } from './lucca-setup-advice';
import { luccaEventsFindings } from './lucca-events-check';

/** Each connector's check comes from its registry definition. */
const connectorChecks = (): ConnectorOnboardingCheck[] => CONNECTORS.map((c) => c.onboardingCheck);

export interface TenantCheckOptions {
  tenant: TenantConfig;
  /** Resolves the tenant's secret references (only this process sees the values). */
  secret: (reference: string) => string;
  writeProbe?: boolean;
  now?: Date;
  /** Tests and the CLI may pass a client with their own budget. */
  lucca?: LuccaClient;
  /** Directory `file:` secret references are relative to (where a registered webhook secret is written); default: cwd. */
  configDir?: string;
}

/** Runs every enabled connector's check on one shared Lucca snapshot; never throws for a customer-side problem. */
export async function checkTenant(options: TenantCheckOptions): Promise<TenantCheckReport> {
  const { tenant } = options;
  const now = options.now ?? new Date();
  const checks = connectorChecks().filter((c) => c.enabled(tenant));
  let lucca: LuccaClient;
  try {
    lucca =
      options.lucca ??
      new LuccaClient({
        tenantId: tenant.id,
        baseUrl: tenant.lucca.baseUrl,
        apiKey: options.secret(tenant.lucca.apiKey),
        retry: { maxAttempts: 2 },
      });
  } catch (err) {
    if (!(err instanceof SecretResolutionError)) throw err;
    const problem = finding(
      'blocking',
      'config.secret-unavailable',
      'Lucca API key secret',
      err.message,
      'Set the environment variable or write the secret file the configuration references.',
    );
    return report(
      tenant.id,
      now,
      0,
      false,
      [problem],
      checks.map((c) => ({ connector: c.connector, canRun: false, findings: [] })),
    );
  }
  const before = lucca.requestCount;
  const { snapshot, findings: luccaFindings } = await luccaAccess(
    lucca,
    mergeNeeds(checks.map((c) => c.luccaNeeds(tenant))),
    todayIn(tenant.timeZone, now),
  );
  let wrote = false;
  // The newer Lucca API is optional: its problems are warnings (polling and the daily run still work).
  if (tenant.lucca.events)
    luccaFindings.push(
      ...(await luccaEventsFindings({
        tenant,
        secret: options.secret,
        configDir: options.configDir ?? process.cwd(),
        noteWrite: () => (wrote = true),
      })),
    );
  const context = { tenant, lucca, secret: options.secret, writeProbe: options.writeProbe ?? false, noteWrite: () => (wrote = true) };
  const connectors = await connectorResults(checks, context, snapshot, luccaFindings);
  return report(tenant.id, now, lucca.requestCount - before, wrote, luccaFindings, connectors);
}

/** Each connector judges the shared snapshot (unless Lucca's access is blocking), then its target system. */
async function connectorResults(
  checks: ConnectorOnboardingCheck[],
  context: Omit<ConnectorCheckContext, 'snapshot'>,
  snapshot: LuccaAccessSnapshot | undefined,
  luccaFindings: CheckFinding[],
): Promise<ConnectorCheckResult[]> {
  const connectors: ConnectorCheckResult[] = [];
  for (const check of checks) {
    const ctx: ConnectorCheckContext = { ...context, snapshot: snapshot! };
    const findings = snapshot && !isBlocking(luccaFindings) ? await check.luccaFindings(ctx) : [];
    findings.push(await targetFinding(check, ctx));
    connectors.push({ connector: check.connector, canRun: !isBlocking(luccaFindings) && !isBlocking(findings), findings });
  }
  return connectors;
}

async function luccaAccess(
  lucca: LuccaClient,
  needs: LuccaNeeds,
  today: string,
): Promise<{ snapshot?: LuccaAccessSnapshot; findings: CheckFinding[] }> {
  const subject = 'Lucca API key';
  try {
    const snapshot = await takeLuccaSnapshot(lucca, needs, today);
    if (!snapshot.keyAccepted)
      return {
        snapshot,
        findings: [finding('blocking', 'lucca.key-refused', subject, 'Lucca refuses the API key (HTTP 401).', advice.keyRefused())],
      };
    if (snapshot.visibleEmployees === 0)
      return {
        snapshot,
        findings: [
          finding(
            'blocking',
            'lucca.no-employee-visible',
            subject,
            'The key is accepted but sees no employee at all.',
            advice.noEmployeeVisible(),
          ),
        ],
      };
    return {
      snapshot,
      findings: [
        finding('ok', 'lucca.key-ok', subject, `The key is accepted and sees ${snapshot.visibleEmployees} current and future employee(s).`),
      ],
    };
  } catch (err) {
    if (!(err instanceof IntegrationError)) throw err;
    if (err.kind === 'permission')
      return {
        findings: [
          finding(
            'blocking',
            'lucca.directory-forbidden',
            subject,
            `Lucca refuses the key access to the directory (HTTP ${err.status ?? 403}).`,
            advice.noEmployeeVisible(),
          ),
        ],
      };
    return {
      findings: [
        finding(
          'blocking',
          'lucca.unreachable',
          subject,
          `Lucca could not be queried (${err.kind}${err.status ? `, HTTP ${err.status}` : ''}).`,
          'Check lucca.baseUrl (https://<company>.ilucca.net) and run the check again; a rate limit or outage clears by itself.',
        ),
      ],
    };
  }
}

async function targetFinding(check: ConnectorOnboardingCheck, ctx: ConnectorCheckContext): Promise<CheckFinding> {
  try {
    return await check.targetFinding(ctx);
  } catch (err) {
    if (!(err instanceof SecretResolutionError)) throw err;
    return finding(
      'blocking',
      'config.secret-unavailable',
      `${check.connector} secret`,
      err.message,
      'Set the environment variable or write the secret file the configuration references.',
    );
  }
}

function mergeNeeds(all: LuccaNeeds[]): LuccaNeeds {
  return {
    codes: all.flatMap((n) => n.codes),
    formerEmployees: all.some((n) => n.formerEmployees),
    futureEmployees: all.some((n) => n.futureEmployees),
    sampleCodes: all.flatMap((n) => n.sampleCodes),
  };
}

function report(
  tenantId: string,
  now: Date,
  luccaRequests: number,
  wroteToLucca: boolean,
  lucca: CheckFinding[],
  connectors: ConnectorCheckResult[],
): TenantCheckReport {
  return {
    tenantId,
    checkedAt: now.toISOString(),
    luccaRequests,
    wroteToLucca,
    lucca,
    connectors,
    canRun: !isBlocking(lucca) && connectors.every((c) => c.canRun),
  };
}
