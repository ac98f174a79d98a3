import type { TenantConfig } from '../config/config-schema';
import { EMPLOYEE_TOPICS } from '../integrations/lucca-api/employee-topics';
import type { LuccaApiClient } from '../integrations/lucca-api/lucca-api-client';
import type { LuccaWebhookEndpoint } from '../integrations/lucca-api/lucca-api-schemas';
import { finding, type CheckFinding } from './check-finding';
import { secretFilePath, writeSecretFile } from './write-secret-file';

interface EndpointSetupOptions {
  tenant: TenantConfig;
  client: LuccaApiClient;
  configDir: string;
  register?: boolean;
  noteWrite?: () => void;
  /** How long to look for the endpoint turning active after a creation or re-activation (default 5 × 1 s). */
  activationWait?: { attempts: number; delayMs: number };
}

const SUBJECT = 'Lucca webhook-endpoint';

/**
 * Our endpoint at Lucca is the one whose `webhookUrl` is the configured one. Active → ok;
 * suspended or inactive → re-activated (Lucca runs the echo challenge again); missing → created,
 * and its signing secret (shown once) written to the `file:` reference `webhookSecret` names.
 */
export async function ensureLuccaWebhookEndpoint(options: EndpointSetupOptions): Promise<CheckFinding> {
  const events = options.tenant.lucca.events!;
  const webhookUrl = events.webhookUrl!;
  const existing = (await options.client.listWebhookEndpoints()).find((e) => e.webhookUrl === webhookUrl);
  if (existing?.status === 'active') return activeFinding(existing, 'is active');
  if (options.register === false) {
    return finding(
      'warning',
      'lucca-api.webhook-missing',
      SUBJECT,
      existing ? `Our endpoint is ${existing.status}.` : 'No endpoint delivers to our receiver.',
      'Run `lucca-connectors tenants check <tenant>` to register or re-activate it.',
    );
  }
  if (existing) {
    options.noteWrite?.();
    const after = await activeSoon(options, await options.client.setWebhookEndpointStatus(existing.id, 'active'));
    return after.status === 'active' ? activeFinding(after, 're-activated') : challengeFailed(webhookUrl, after.status);
  }
  return registerEndpoint(options, webhookUrl, events.webhookSecret!);
}

async function registerEndpoint(options: EndpointSetupOptions, webhookUrl: string, secretReference: string): Promise<CheckFinding> {
  const path = secretFilePath(secretReference, options.configDir);
  if (!path) {
    return finding(
      'warning',
      'lucca-api.webhook-secret-not-writable',
      SUBJECT,
      'No endpoint delivers to our receiver, and its signing secret (shown by Lucca once, on creation) could not be stored: webhookSecret is not a file: reference.',
      'Use a file: reference for lucca.events.webhookSecret and run the check again, or create the endpoint in Lucca and put its secret where webhookSecret points.',
    );
  }
  // A secret already there belongs to an endpoint that no longer exists: the new one's replaces it.
  options.noteWrite?.();
  const created = await options.client.createWebhookEndpoint({
    name: `lucca-connectors ${options.tenant.id}`,
    webhookUrl,
    topics: EMPLOYEE_TOPICS,
  });
  writeSecretFile(path, created.secret);
  const now = await activeSoon(options, created);
  return now.status === 'active'
    ? activeFinding(now, 'was registered; its signing secret is stored')
    : challengeFailed(webhookUrl, now.status);
}

/**
 * Lucca's docs do not say whether the activation challenge runs during the creating call or after it answered
 * (docs/external-apis.md, N8): an endpoint not active yet is looked up again for a few seconds before we say the
 * receiver did not answer.
 */
async function activeSoon(options: EndpointSetupOptions, endpoint: LuccaWebhookEndpoint): Promise<LuccaWebhookEndpoint> {
  const { attempts, delayMs } = options.activationWait ?? { attempts: 5, delayMs: 1_000 };
  let current = endpoint;
  for (let i = 0; i < attempts && current.status !== 'active'; i++) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    current = (await options.client.listWebhookEndpoints()).find((e) => e.id === endpoint.id) ?? current;
  }
  return current;
}

function activeFinding(endpoint: LuccaWebhookEndpoint, what: string): CheckFinding {
  const missing = EMPLOYEE_TOPICS.filter((t) => t.startsWith('employee.') && !endpoint.topics.includes(t));
  if (missing.length > 0)
    return finding(
      'warning',
      'lucca-api.webhook-topics-missing',
      SUBJECT,
      `Our endpoint ${what} but is not subscribed to ${missing.join(', ')}.`,
      'Delete the endpoint in Lucca (Intégrations > endpoints) and run the check again to register it with every topic.',
    );
  return finding('ok', 'lucca-api.webhook-active', SUBJECT, `Our endpoint ${what}.`);
}

function challengeFailed(webhookUrl: string, status: string): CheckFinding {
  return finding(
    'warning',
    'lucca-api.webhook-challenge-failed',
    SUBJECT,
    `Our endpoint is still ${status} a few seconds after Lucca was asked to activate it: the receiver did not answer Lucca's activation challenge, or Lucca has not run it yet.`,
    `Make ${webhookUrl} reachable from Lucca (the webhook process answers GET ?echo=<value>) and run the check again.`,
  );
}
