import type { Client } from '@temporalio/client';
import { resolveSecret } from '../../src/config/secret-reference';
import { luccaEventsFindings } from '../../src/onboarding/lucca-events-check';
import type { ConnectorsRuntime } from '../../src/runtime/connectors-runtime';
import { startLuccaReceiverFromRuntime } from '../../src/webhooks/lucca-receiver-from-runtime';

const LUCCA_WEBHOOK_PORT = 4401;

/**
 * `npm start` with tenants that configure `lucca.events`: the Lucca receiver (as in `npm run
 * webhooks`) and each tenant's webhook-endpoint registered at the simulated Lucca API, as
 * `tenants check` does. Nothing starts when no tenant configures it.
 */
export async function startLocalLuccaEvents(
  runtime: ConnectorsRuntime,
  client: Client,
  stops: Array<() => unknown>,
  log: (msg: string) => void,
): Promise<void> {
  const { tenants } = runtime;
  const configured = tenants.loaded.config.tenants.filter((t) => t.lucca.events?.webhookUrl);
  if (configured.length === 0) return;
  const receiver = await startLuccaReceiverFromRuntime(tenants, client, { port: LUCCA_WEBHOOK_PORT });
  stops.push(() => receiver.stop());
  log(`Lucca webhook receiver ${receiver.url}`);
  const { baseDir } = tenants.loaded;
  for (const tenant of configured) {
    const findings = await luccaEventsFindings({ tenant, secret: (ref) => resolveSecret(ref, baseDir), configDir: baseDir }).catch(
      (err: Error) => [{ code: `failed (${err.name})`, severity: 'warning' }],
    );
    log(`Lucca API of ${tenant.id}: ${findings.map((f) => `${f.code} ${f.severity}`).join(', ')}`);
  }
}
