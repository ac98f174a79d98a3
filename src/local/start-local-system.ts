import type { Client } from '@temporalio/client';
import { startCodecServer } from '../codec/codec-server';
import { buildRuntime } from '../runtime/connectors-runtime';
import { connectClient, connectWorker } from '../runtime/temporal-connection';
import { describeSimulators, startSimulators } from '../sandbox/start-sandbox';
import { createRuntimeWorker } from '../worker';
import { startLocalTemporalServer } from './local-temporal-server';
import { todayIn } from '../activities/tenant-clock';
import { applySchedules } from '../client/schedules';
import { connectorsOf } from '../connectors/registry';
import type { ConnectorsConfig } from '../config/config-schema';
import { startWebhookReceiver } from '../webhooks/aequivalent-webhook-receiver';
import { createWebhookSignaller } from '../webhooks/aequivalent-webhook-signaller';
import { startRetentionSweeper } from '../storage/retention-sweeper';
import { startLocalLiveTenants } from './local-live-tenants';

const WEBHOOK_PORT = 4400;

/**
 * `npm start`: the whole system on one machine with no credentials — the Temporal dev server and
 * its Web UI, the Lucca / Elevo / Aequivalent simulators, the worker, and a first run of every
 * configured connector. Ctrl-C stops everything.
 */
async function main(): Promise<void> {
  const runtime = buildRuntime({ sharedLuccaBudget: true });
  const { loaded, settings, tenants, codec } = runtime;
  const log = (msg: string) => console.log(`[local] ${msg}`);

  const codecConfig = loaded.config.encryption.codecServer;
  const codecServer = codecConfig
    ? await startCodecServer({ codec, token: tenants.secret(codecConfig.token), allowedOrigin: codecConfig.allowedOrigin, port: codecConfig.port })
    : undefined;
  if (codecServer) log(`codec server ${codecServer.url} (the Web UI decrypts payloads through it)`);

  log('starting the Temporal dev server (Web UI included)...');
  const port = Number(settings.temporalAddress.split(':').pop());
  const temporal = await startLocalTemporalServer({ port, uiCodecEndpoint: codecServer?.uiEndpoint });
  log(`Temporal ${temporal.address}${temporal.startedHere ? '' : ' (already running, reused)'}; Web UI ${temporal.uiUrl}`);

  const sims = await startSimulators({ webhookUrlFor: (t) => `http://127.0.0.1:${WEBHOOK_PORT}/webhooks/aequivalent/${t}` });
  log(`simulators: ${describeSimulators(sims)}`);

  await runtime.artifacts.check();
  const sweeper = startRetentionSweeper({ store: runtime.artifacts, retentionDays: settings.storage.retentionDays, onError: (err) => log(`artifact retention: purge failed (${err.message})`) });
  const nativeConnection = await connectWorker(runtime, temporal.address);
  const worker = await createRuntimeWorker(runtime, nativeConnection);
  const running = worker.run();
  log(`worker polling task queue "${settings.taskQueue}" for ${tenants.tenantIds.join(', ')}`);

  const { client, connection } = await connectClient(runtime, temporal.address);

  // Aequivalent status webhooks → signals to the order workflows (signature checked first).
  // Looked up per request: tenants added to the config while running are known at once.
  const secretsByTenant = {
    get: (id: string) => {
      const reference = tenants.loaded.config.tenants.find((t) => t.id === id)?.aequivalent?.webhookSecret;
      return reference ? tenants.secret(reference) : undefined;
    },
  };
  const receiver = await startWebhookReceiver({ port: WEBHOOK_PORT, secretsByTenant, onEvent: createWebhookSignaller({ client }) });
  log(`Aequivalent webhook receiver ${receiver.url}`);

  for (const s of await applySchedules(client, loaded.config, settings.taskQueue)) log(`schedule ${s.action}: ${s.scheduleId}`);
  const liveTenants = startLocalLiveTenants({ tenants, sims, connection: nativeConnection, namespace: settings.namespace, taskQueue: settings.taskQueue, dataConverter: runtime.dataConverter, log, webhookPort: WEBHOOK_PORT });
  const link = (id: string) => `${temporal.uiUrl}/namespaces/${settings.namespace}/workflows/${encodeURIComponent(id)}`;
  for (const workflowId of await startFirstRuns(client, loaded.config, settings.taskQueue)) log(`first run: ${link(workflowId)}`);
  log(`ready. Runs: ${temporal.uiUrl}  ·  \`npx lucca-connectors runs\`  ·  \`npx lucca-connectors report <run> --format text|json|csv\``);
  log('Ctrl-C stops the worker, the simulators and the dev server.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    liveTenants.stop();
    try {
      worker.shutdown(); // the SDK may already be shutting down on the same signal
    } catch {
      /* already stopping */
    }
    await running.catch(() => undefined);
    sweeper.stop();
    await receiver.stop();
    await connection.close();
    await nativeConnection.close();
    await sims.stop();
    await codecServer?.stop();
    await temporal.stop();
    await runtime.close();
    log('stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  // The SDK turns SIGINT/SIGTERM into a graceful worker shutdown; once the worker is done,
  // everything else stops too.
  await running.catch((err: unknown) => console.error(`[local] worker failed: ${(err as Error).message}`));
  await stop();
}

/** One run of every enabled connector of every tenant, so the UI has something to show at once. */
async function startFirstRuns(client: Client, config: ConnectorsConfig, taskQueue: string): Promise<string[]> {
  const started: string[] = [];
  for (const tenant of config.tenants) {
    const runDate = todayIn(tenant.timeZone, new Date());
    for (const { definition } of connectorsOf(tenant)) {
      const workflowId = `${definition.runWorkflowId(tenant.id, runDate)}/local-${Date.now()}`;
      const staticSummary = `${definition.title} — ${tenant.id} — ${runDate} (first local run)`;
      await client.workflow.start(definition.workflowType, { workflowId, taskQueue, args: [{ tenantId: tenant.id, runDate }], staticSummary });
      started.push(workflowId);
    }
  }
  return started;
}

main().catch((err) => {
  console.error(`[local] ${(err as Error).message}`);
  process.exit(1);
});
