import { startCodecServer } from '../codec/codec-server';
import { buildRuntime } from '../runtime/connectors-runtime';
import { connectClient, connectWorker } from '../runtime/temporal-connection';
import { startSimulators } from '../sandbox/start-sandbox';
import { elevoUserSyncWorkflowId } from '../shared/elevo-user-sync-contract';
import { createRuntimeWorker } from '../worker';
import { startLocalTemporalServer } from './local-temporal-server';
import { todayIn } from '../activities/tenant-clock';
import { applySchedules } from '../client/schedules';
import { workflowUiLink } from '../client/ui-link';
import { screeningIntakeWorkflowId } from '../shared/screening-order-contract';
import { startWebhookReceiver } from '../webhooks/aequivalent-webhook-receiver';
import { createWebhookSignaller } from '../webhooks/aequivalent-webhook-signaller';

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
  log(`simulators: Lucca ${sims.lucca.url}, Elevo ${sims.elevo.url}, Aequivalent ${sims.aequivalent.url}`);

  const nativeConnection = await connectWorker(runtime, temporal.address);
  const worker = await createRuntimeWorker(runtime, nativeConnection);
  const running = worker.run();
  log(`worker polling task queue "${settings.taskQueue}" for ${tenants.tenantIds.join(', ')}`);

  const { client, connection } = await connectClient(runtime, temporal.address);

  // Aequivalent status webhooks → signals to the order workflows (signature checked first).
  const secretsByTenant = new Map(loaded.config.tenants.filter((t) => t.aequivalent).map((t) => [t.id, tenants.secret(t.aequivalent!.webhookSecret)]));
  const receiver = await startWebhookReceiver({ port: WEBHOOK_PORT, secretsByTenant, onEvent: createWebhookSignaller({ client }) });
  log(`Aequivalent webhook receiver ${receiver.url}`);

  for (const s of await applySchedules(client, loaded.config, settings.taskQueue)) log(`schedule ${s.action}: ${s.scheduleId}`);
  const link = (id: string, runId: string) => workflowUiLink(temporal.uiUrl, settings.namespace, id, runId);
  for (const tenant of loaded.config.tenants) {
    const runDate = todayIn(tenant.timeZone, new Date());
    const suffix = `local-${Date.now()}`;
    if (tenant.elevo?.enabled) {
      const workflowId = `${elevoUserSyncWorkflowId(tenant.id, runDate)}/${suffix}`;
      const handle = await client.workflow.start('elevoUserSync', { workflowId, taskQueue: settings.taskQueue, args: [{ tenantId: tenant.id, runDate }], staticSummary: `Elevo user sync — ${tenant.id} — ${runDate} (first local run)` });
      log(`first run: ${link(workflowId, handle.firstExecutionRunId)}`);
    }
    if (tenant.aequivalent?.enabled) {
      const workflowId = `${screeningIntakeWorkflowId(tenant.id, runDate)}/${suffix}`;
      const handle = await client.workflow.start('screeningIntake', { workflowId, taskQueue: settings.taskQueue, args: [{ tenantId: tenant.id, runDate }], staticSummary: `Aequivalent screening intake — ${tenant.id} — ${runDate} (first local run)` });
      log(`first run: ${link(workflowId, handle.firstExecutionRunId)}`);
    }
  }
  log(`ready. Runs: ${temporal.uiUrl}  ·  \`npx lucca-connectors runs\`  ·  \`npx lucca-connectors report <run> --format text|json|csv\``);
  log('Ctrl-C stops the worker, the simulators and the dev server.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    try {
      worker.shutdown(); // the SDK may already be shutting down on the same signal
    } catch {
      /* already stopping */
    }
    await running.catch(() => undefined);
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

main().catch((err) => {
  console.error(`[local] ${(err as Error).message}`);
  process.exit(1);
});
