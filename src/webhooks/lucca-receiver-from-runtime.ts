import type { Client } from '@temporalio/client';
import { resolveSecret } from '../config/secret-reference';
import type { TenantDirectory } from '../config/tenant-directory';
import { connectorsOf } from '../connectors/registry';
import { createChangeFeedSignaller } from './lucca-change-feed-signaller';
import { startLuccaWebhookReceiver, type LuccaWebhookLogLine, type RunningLuccaWebhookReceiver } from './lucca-webhook-receiver';

/**
 * The Lucca receiver of the webhook process, from the tenant directory: each tenant's endpoint
 * secret is read per delivery, not cached (the file `tenants check` writes when it registers an
 * endpoint, or a new one's after re-registration, is picked up without a restart), and accepted
 * changes go to the change feeds of the tenant's enabled connectors.
 */
export function startLuccaReceiverFromRuntime(
  tenants: TenantDirectory,
  client: Client,
  options: { port?: number; host?: string; log?: (line: LuccaWebhookLogLine) => void } = {},
): Promise<RunningLuccaWebhookReceiver> {
  const tenantById = (tenantId: string) => tenants.loaded.config.tenants.find((t) => t.id === tenantId);
  return startLuccaWebhookReceiver({
    ...options,
    secretsByTenant: { get: (tenantId) => webhookSecretOf(tenants, tenantById(tenantId)?.lucca.events?.webhookSecret) },
    onChange: createChangeFeedSignaller({
      client,
      connectorsOf: (tenantId) => {
        const tenant = tenantById(tenantId);
        return tenant ? connectorsOf(tenant).map((c) => c.name) : [];
      },
      log: options.log,
    }),
  });
}

function webhookSecretOf(tenants: TenantDirectory, reference: string | undefined): string | undefined {
  if (!reference) return undefined;
  try {
    return resolveSecret(reference, tenants.loaded.baseDir);
  } catch {
    // Not written yet (endpoint not registered): every delivery is refused until it is.
    return undefined;
  }
}
