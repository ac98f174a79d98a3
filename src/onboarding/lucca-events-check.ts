import type { TenantConfig } from '../config/config-schema';
import { SecretResolutionError } from '../config/secret-reference';
import { IntegrationError } from '../integrations/http/integration-error';
import { LUCCA_EVENTS_SCOPES, type LuccaApiClient } from '../integrations/lucca-api/lucca-api-client';
import { luccaApiClientForTenant } from '../integrations/lucca-api/lucca-api-client-for-tenant';
import { finding, type CheckFinding } from './check-finding';
import { ensureLuccaWebhookEndpoint } from './lucca-webhook-endpoint-setup';

export interface LuccaEventsCheckOptions {
  tenant: TenantConfig;
  secret: (reference: string) => string;
  /** Directory `file:` references are relative to (the config file's). */
  configDir: string;
  /** Register (or re-activate) our webhook-endpoint when missing; default true. */
  register?: boolean;
  client?: LuccaApiClient;
  noteWrite?: () => void;
}

const SUBJECT = 'Lucca API (webhooks and events feed)';

/**
 * `tenants check` for a tenant with `lucca.events`: the OAuth client is accepted, the events feed
 * is readable, and our webhook-endpoint exists and is active (registered when missing). Problems
 * are warnings, not blocking: the connectors still run on polling and the daily reconciliation.
 */
export async function luccaEventsFindings(options: LuccaEventsCheckOptions): Promise<CheckFinding[]> {
  let client: LuccaApiClient;
  try {
    client = options.client ?? luccaApiClientForTenant(options.tenant, options.secret);
  } catch (err) {
    if (!(err instanceof SecretResolutionError)) throw err;
    return [
      finding(
        'warning',
        'config.secret-unavailable',
        `${SUBJECT} credentials`,
        err.message,
        'Set the environment variable or write the secret file the configuration references.',
      ),
    ];
  }
  try {
    await client.eventsPage(undefined, 1);
    const findings = [finding('ok', 'lucca-api.events-readable', SUBJECT, 'The OAuth client is accepted and the events feed is readable.')];
    if (options.tenant.lucca.events?.webhookUrl) findings.push(await ensureLuccaWebhookEndpoint({ ...options, client }));
    return findings;
  } catch (err) {
    if (!(err instanceof IntegrationError)) throw err;
    return [apiFinding(err)];
  }
}

function apiFinding(err: IntegrationError): CheckFinding {
  if (err.kind === 'authentication') {
    return finding(
      'warning',
      'lucca-api.client-refused',
      SUBJECT,
      'Lucca refuses the OAuth client credentials (HTTP 401); changes arrive by polling only.',
      'In Lucca, /identity/admin/integration-keys: check the client id and secret of the integration key and update the secrets they are read from.',
    );
  }
  if (err.kind === 'permission') {
    return finding(
      'warning',
      'lucca-api.scope-missing',
      SUBJECT,
      `The OAuth client lacks a scope (HTTP 403) for ${err.operation}.`,
      `In Lucca, /identity/admin/integration-keys: grant the integration key the scopes ${LUCCA_EVENTS_SCOPES.join(', ')}.`,
    );
  }
  return finding(
    'warning',
    'lucca-api.unreachable',
    SUBJECT,
    `The Lucca API could not be queried (${err.kind}${err.status ? `, HTTP ${err.status}` : ''}).`,
    'Check lucca.events (apiBaseUrl, tokenUrl) and run the check again; an outage clears by itself.',
  );
}
