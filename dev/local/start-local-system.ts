import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { startCodecServer } from '../../src/codec/codec-server';
import { buildRuntime, type ConnectorsRuntime } from '../../src/runtime/connectors-runtime';
import { connectClient, connectWorker } from '../../src/runtime/temporal-connection';
import { describeSimulators, startSimulators } from '../start-sandbox';
import { createRuntimeWorker } from '../../src/worker';
import { startLocalTemporalServer } from './local-temporal-server';
import { todayIn } from '../../src/activities/tenant-clock';
import { applySchedules } from '../../src/client/schedules';
import { ensureChangeFeeds } from '../../src/freshness/ensure-change-feeds';
import { workflowUiLink } from '../../src/client/ui-link';
import { connectorsOf } from '../../src/connectors/registry';
import { connectorRunAttributes } from '../../src/shared/search-attributes';
import type { ConnectorsConfig } from '../../src/config/config-schema';
import { startWebhookReceiver } from '../../src/webhooks/aequivalent-webhook-receiver';
import { createWebhookSignaller } from '../../src/webhooks/aequivalent-webhook-signaller';
import { startRetentionSweeper } from '../../src/storage/retention-sweeper';
import { startLocalLiveTenants } from './local-live-tenants';
import { startLocalLuccaEvents } from './local-lucca-events';
import { loadSandboxOnlyConfig } from './sandbox-only-config';

const WEBHOOK_PORT = 4400;

/**
 * `npm start`: the whole system on one machine with no credentials — the Temporal dev server and
 * its Web UI, the Lucca / Elevo / Aequivalent simulators, the worker, and a first run of every
 * configured connector. Ctrl-C stops everything.
 */
async function main(): Promise<void> {
  const runtime = buildRuntime({ loaded: loadSandboxOnlyConfig(), sharedLuccaBudget: true });
  const stops: Stop[] = [() => runtime.close()];
  const { temporal, sims } = await startInfrastructure(runtime, stops);
  const { worker, running, client, nativeConnection } = await startWorkerAndClient(runtime, temporal.address, stops);
  await startWebhookReceiverFor(runtime, client, stops);
  await startLocalLuccaEvents(runtime, client, stops, log);

  const { loaded, settings } = runtime;
  for (const s of await applySchedules(client, loaded.config, settings.taskQueue)) log(`schedule ${s.action}: ${s.scheduleId}`);
  // Tenants added to the config while running get their simulators and first runs at once.
  const liveTenants = startLocalLiveTenants({
    tenants: runtime.tenants,
    sims,
    connection: nativeConnection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    dataConverter: runtime.dataConverter,
    log,
    webhookPort: WEBHOOK_PORT,
    checks: runtime.artifacts,
  });
  stops.push(() => liveTenants.stop());
  // The UI's workflow page needs the run id: a link without it answers "Bad Request".
  for (const run of await startFirstRuns(client, loaded.config, settings.taskQueue))
    log(`first run: ${workflowUiLink(temporal.uiUrl, settings.namespace, run.workflowId, run.runId)}`);
  // Change feeds after the first runs: each starts from Lucca's newest stamp, so it hands on nothing those runs cover.
  for (const feed of await ensureChangeFeeds(client, loaded.config, settings.taskQueue)) log(`change feed running: ${feed}`);
  log(
    `change an employee in the Lucca simulator, see it in Elevo within a minute (docs/freshness.md): curl -X POST ${sims.lucca?.url ?? 'http://127.0.0.1:4100'}/_sandbox/acme/users/1 -H 'content-type: application/json' -d '{"set":{"jobTitle":"Directrice de la fraîcheur"}}'`,
  );
  log(`ready. Runs: ${temporal.uiUrl}  ·  \`npx lucca-connectors runs\`  ·  \`npx lucca-connectors report <run> --format text|json|csv\``);
  log('Ctrl-C stops the worker, the simulators and the dev server.');

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopAll(worker, running, stops));
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  // The SDK turns SIGINT/SIGTERM into a graceful worker shutdown; once the worker is done,
  // everything else stops too.
  await running.catch((err: unknown) => console.error(`[local] worker failed: ${(err as Error).message}`));
  await stop();
}

/** Something started, to stop at the end (in reverse order). */
type Stop = () => unknown;
const log = (msg: string) => console.log(`[local] ${msg}`);

/** The codec server (when configured), the Temporal dev server with its Web UI, the simulators. */
async function startInfrastructure(runtime: ConnectorsRuntime, stops: Stop[]) {
  const { loaded, settings, codec } = runtime;
  const codecConfig = loaded.config.encryption.codecServer;
  // The dev-server UI has no login to forward a token from: the local codec server runs in its
  // loopback-only unauthenticated mode (an option of this embedded system, never of a config file),
  // for the UI at both loopback origins. The configured tokens are not needed here.
  const codecServer = codecConfig
    ? await startCodecServer({
        codec,
        auth: {},
        localUnauthenticated: true,
        host: '127.0.0.1',
        allowedOrigins: [...new Set([...codecConfig.allowedOrigin, 'http://127.0.0.1:8233', 'http://localhost:8233'])],
        port: codecConfig.port,
      })
    : undefined;
  if (codecServer) {
    stops.push(() => codecServer.stop());
    log(`codec server ${codecServer.url} (local mode: no login, loopback only; the Web UI decrypts payloads through it)`);
  }
  log('starting the Temporal dev server (Web UI included)...');
  const port = Number(settings.temporalAddress.split(':').pop());
  const temporal = await startLocalTemporalServer({ port, uiCodecEndpoint: codecServer?.uiEndpoint });
  stops.push(() => temporal.stop());
  log(`Temporal ${temporal.address}${temporal.startedHere ? '' : ' (already running, reused)'}; Web UI ${temporal.uiUrl}`);
  const sims = await startSimulators({ webhookUrlFor: (t) => `http://127.0.0.1:${WEBHOOK_PORT}/webhooks/aequivalent/${t}` });
  stops.push(() => sims.stop());
  log(`simulators: ${describeSimulators(sims)}`);
  return { temporal, sims };
}

/** The artifact store's retention sweeper, the worker, and a client. */
async function startWorkerAndClient(runtime: ConnectorsRuntime, address: string, stops: Stop[]) {
  const { settings, tenants } = runtime;
  await runtime.artifacts.check();
  const sweeper = startRetentionSweeper({
    store: runtime.artifacts,
    retentionDays: settings.storage.retentionDays,
    onError: (err) => log(`artifact retention: purge failed (${err.message})`),
  });
  stops.push(() => sweeper.stop());
  const nativeConnection = await connectWorker(runtime, address);
  stops.push(() => nativeConnection.close());
  const worker = await createRuntimeWorker(runtime, nativeConnection);
  const running = worker.run();
  log(`worker polling task queue "${settings.taskQueue}" for ${tenants.tenantIds.join(', ')}`);
  const { client, connection } = await connectClient(runtime, address);
  stops.push(() => connection.close());
  return { worker, running, client, nativeConnection };
}

/** Aequivalent status webhooks → signals to the order workflows (signature checked first). */
async function startWebhookReceiverFor(runtime: ConnectorsRuntime, client: Client, stops: Stop[]): Promise<void> {
  const { tenants } = runtime;
  // Looked up per request: tenants added to the config while running are known at once.
  const secretsByTenant = {
    get: (id: string) => {
      const reference = tenants.loaded.config.tenants.find((t) => t.id === id)?.aequivalent?.webhookSecret;
      return reference ? tenants.secret(reference) : undefined;
    },
  };
  const receiver = await startWebhookReceiver({ port: WEBHOOK_PORT, secretsByTenant, onEvent: createWebhookSignaller({ client }) });
  stops.push(() => receiver.stop());
  log(`Aequivalent webhook receiver ${receiver.url}`);
}

/** The worker first (in-flight activities finish), then everything else in reverse start order. */
async function stopAll(worker: Worker, running: Promise<void>, stops: Stop[]): Promise<void> {
  log('stopping...');
  try {
    worker.shutdown(); // the SDK may already be shutting down on the same signal
  } catch {
    /* already stopping */
  }
  await running.catch(() => undefined);
  for (const stop of stops.reverse()) await stop();
  log('stopped');
  process.exit(0);
}

/** One run of every enabled connector of every tenant, so the UI has something to show at once. */
async function startFirstRuns(
  client: Client,
  config: ConnectorsConfig,
  taskQueue: string,
): Promise<Array<{ workflowId: string; runId: string }>> {
  const started: Array<{ workflowId: string; runId: string }> = [];
  for (const tenant of config.tenants) {
    const runDate = todayIn(tenant.timeZone, new Date());
    for (const { definition } of connectorsOf(tenant)) {
      const workflowId = `${definition.runWorkflowId(tenant.id, runDate)}/local-${Date.now()}`;
      const staticSummary = `${definition.title} — ${tenant.id} — ${runDate} (first local run)`;
      const handle = await client.workflow.start(definition.workflowType, {
        workflowId,
        taskQueue,
        args: [{ tenantId: tenant.id, runDate }],
        staticSummary,
        typedSearchAttributes: connectorRunAttributes(tenant.id, definition.name),
      });
      started.push({ workflowId, runId: handle.firstExecutionRunId });
    }
  }
  return started;
}

main().catch((err) => {
  console.error(`[local] ${(err as Error).message}`);
  process.exit(1);
});
