import { dirname } from 'node:path';
import type { ConnectorsConfig } from '../config/config-schema';
import { resolveSecret } from '../config/secret-reference';
import type { CheckFinding } from '../onboarding/check-finding';
import { luccaEventsFindings } from '../onboarding/lucca-events-check';

/**
 * `setup`'s last step: for every tenant with `lucca.events`, our webhook endpoint at Lucca is checked
 * and registered or re-activated when needed — what `tenants check` does, so a deployment needs no
 * separate step. One line per finding (codes and words, no secret); problems never fail setup: the
 * connectors still run on polling and the daily run, and `tenants check` says what to do.
 */
export async function luccaEndpointLines(
  config: ConnectorsConfig,
  configPath: string,
  findings: typeof luccaEventsFindings = luccaEventsFindings,
): Promise<string[]> {
  const configDir = dirname(configPath);
  const lines: string[] = [];
  for (const tenant of config.tenants.filter((t) => t.lucca.events)) {
    const found = await findings({ tenant, secret: (ref) => resolveSecret(ref, configDir), configDir }).catch(
      (err: unknown): CheckFinding[] => [
        { code: 'lucca-api.unreachable', severity: 'warning', subject: 'Lucca API', detail: err instanceof Error ? err.name : 'error' },
      ],
    );
    for (const f of found) lines.push(`lucca endpoint ${tenant.id}: ${f.severity} ${f.code} — ${f.detail}`);
  }
  return lines;
}
