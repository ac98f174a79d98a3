import { buildRuntime } from '../runtime/connectors-runtime';
import { assertDeploymentReady, connectClient } from '../runtime/temporal-connection';
import { startWebhookReceiver } from './aequivalent-webhook-receiver';
import { createWebhookSignaller } from './aequivalent-webhook-signaller';
import { InMemoryDeliveryLedger, type DeliveryLedger } from './delivery-ledger';
import { PostgresDeliveryLedger } from './postgres-delivery-ledger';
import { startLuccaReceiverFromRuntime } from './lucca-receiver-from-runtime';

/**
 * `npm run webhooks`: the Aequivalent webhook receiver as its own service (it must be reachable
 * from Aequivalent; workers need not be). Verified events become signals to the order workflows.
 */
async function main(): Promise<void> {
  const runtime = buildRuntime();
  const { loaded, tenants } = runtime;
  const { client, connection } = await connectClient(runtime);
  // The receiver only signals order workflows: it needs the namespace and search attributes, not the store.
  await assertDeploymentReady(runtime, connection, { usesStore: false });
  const deliveries = await deliveryLedger(runtime);
  const secretsByTenant = new Map(
    loaded.config.tenants.filter((t) => t.aequivalent).map((t) => [t.id, tenants.secret(t.aequivalent!.webhookSecret)]),
  );
  const receiver = await startWebhookReceiver({
    port: Number(process.env.LUCCA_CONNECTORS_WEBHOOK_PORT ?? 4400),
    host: process.env.LUCCA_CONNECTORS_WEBHOOK_HOST ?? '127.0.0.1',
    secretsByTenant,
    onEvent: createWebhookSignaller({ client }),
    deliveries,
    log: (line) => console.log(JSON.stringify(line)),
  });
  console.log(JSON.stringify({ msg: 'webhook receiver started', url: receiver.url, tenants: secretsByTenant.size }));
  // The newer Lucca API's deliveries (docs/freshness-webhooks.md), on their own port.
  const lucca = await startLuccaReceiverFromRuntime(tenants, client, {
    port: Number(process.env.LUCCA_CONNECTORS_LUCCA_WEBHOOK_PORT ?? 4401),
    host: process.env.LUCCA_CONNECTORS_WEBHOOK_HOST ?? '127.0.0.1',
    log: (line) => console.log(JSON.stringify(line)),
  });
  console.log(JSON.stringify({ msg: 'lucca webhook receiver started', url: lucca.url }));
  const stop = () =>
    void Promise.all([receiver.stop(), lucca.stop()])
      .then(() => connection.close())
      .then(() => runtime.close())
      .then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * Replicas share the ledger of handled deliveries through the PostgreSQL store; with the filesystem
 * store (one machine) the receiver is a single process and remembers them itself.
 */
async function deliveryLedger(runtime: ReturnType<typeof buildRuntime>): Promise<DeliveryLedger> {
  const storage = runtime.loaded.config.storage;
  if (storage.kind !== 'postgres') return new InMemoryDeliveryLedger();
  const ledger = new PostgresDeliveryLedger(runtime.tenants.secret(storage.url));
  await ledger.check().catch(async () => {
    await ledger.close();
    throw Object.assign(new Error('the artifact store has no webhook_deliveries table: run `lucca-connectors setup`'), {
      name: 'NotReadyError',
    });
  });
  return ledger;
}

main().catch((err) => {
  // Config, connection and readiness errors are one line that says what to fix; others get a prefix.
  const name = (err as Error).name;
  console.error(
    ['ConfigError', 'TemporalConnectionError', 'NotReadyError'].includes(name)
      ? (err as Error).message
      : `[webhooks] ${(err as Error).message}`,
  );
  process.exit(1);
});
