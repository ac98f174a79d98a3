import { buildRuntime } from '../runtime/connectors-runtime';
import { connectClient } from '../runtime/temporal-connection';
import { startWebhookReceiver } from './aequivalent-webhook-receiver';
import { createWebhookSignaller } from './aequivalent-webhook-signaller';

/**
 * `npm run webhooks`: the Aequivalent webhook receiver as its own service (it must be reachable
 * from Aequivalent; workers need not be). Verified events become signals to the order workflows.
 */
async function main(): Promise<void> {
  const runtime = buildRuntime();
  const { loaded, tenants } = runtime;
  const { client, connection } = await connectClient(runtime);
  const secretsByTenant = new Map(loaded.config.tenants.filter((t) => t.aequivalent).map((t) => [t.id, tenants.secret(t.aequivalent!.webhookSecret)]));
  const receiver = await startWebhookReceiver({
    port: Number(process.env.LUCCA_CONNECTORS_WEBHOOK_PORT ?? 4400),
    host: process.env.LUCCA_CONNECTORS_WEBHOOK_HOST ?? '127.0.0.1',
    secretsByTenant,
    onEvent: createWebhookSignaller({ client }),
    log: (line) => console.log(JSON.stringify(line)),
  });
  console.log(JSON.stringify({ msg: 'webhook receiver started', url: receiver.url, tenants: secretsByTenant.size }));
  const stop = () => void receiver.stop().then(() => connection.close()).then(() => runtime.close()).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`[webhooks] ${(err as Error).message}`);
  process.exit(1);
});
