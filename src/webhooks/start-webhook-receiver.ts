import { Client } from '@temporalio/client';
import { temporalConnectionOptions } from '../config/temporal-connection-options';
import { assertReady } from '../setup/readiness-check';
import { connectClient } from '../temporal/connect-temporal';
import { codecFromConfig, createDataConverter } from '../codec/data-converter';
import { loadConfig } from '../config/load-config';
import { runtimeSettings } from '../config/runtime-settings';
import { TenantDirectory } from '../config/tenant-directory';
import { startWebhookReceiver } from './aequivalent-webhook-receiver';
import { createWebhookSignaller } from './aequivalent-webhook-signaller';

/**
 * `npm run webhooks`: the Aequivalent webhook receiver as its own service (it must be reachable
 * from Aequivalent; workers need not be). Verified events become signals to the order workflows.
 */
async function main(): Promise<void> {
  const loaded = loadConfig();
  const settings = runtimeSettings(loaded.config);
  const tenants = new TenantDirectory(loaded);
  const connection = await connectClient(temporalConnectionOptions(loaded.config.temporal, settings.temporalAddress, (ref) => tenants.secret(ref)));
  // The receiver only signals workflows: the namespace and search attributes must exist (no store).
  await assertReady({ services: connection, namespace: settings.namespace, address: settings.temporalAddress });
  const client = new Client({ connection, namespace: settings.namespace, dataConverter: createDataConverter(codecFromConfig(loaded.config, (ref) => tenants.secret(ref))) });
  const secretsByTenant = new Map(loaded.config.tenants.filter((t) => t.aequivalent).map((t) => [t.id, tenants.secret(t.aequivalent!.webhookSecret)]));
  const receiver = await startWebhookReceiver({
    port: Number(process.env.LUCCA_CONNECTORS_WEBHOOK_PORT ?? 4400),
    host: process.env.LUCCA_CONNECTORS_WEBHOOK_HOST ?? '127.0.0.1',
    secretsByTenant,
    onEvent: createWebhookSignaller({ client }),
    log: (line) => console.log(JSON.stringify(line)),
  });
  console.log(JSON.stringify({ msg: 'webhook receiver started', url: receiver.url, tenants: secretsByTenant.size }));
  const stop = () => void receiver.stop().then(() => connection.close()).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  // Config, connection and readiness errors are one line with the fix; others get a prefix.
  const name = (err as Error).name;
  console.error(['ConfigError', 'TemporalConnectionError', 'NotReadyError'].includes(name) ? (err as Error).message : `[webhooks] ${(err as Error).message}`);
  process.exit(1);
});
