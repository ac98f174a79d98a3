import { dirname } from 'node:path';
import type { Client } from '@temporalio/client';
import { resolveSecret } from '../../src/config/secret-reference';
import { luccaEventsFindings } from '../../src/onboarding/lucca-events-check';
import { ElevoSandbox } from '../../dev/simulators/elevo';
import { generateLuccaTenant, LuccaSandbox, type LuccaTenantStore } from '../../dev/simulators/lucca';
import { LuccaApiSandbox, type DeliveryPolicy } from '../../dev/simulators/lucca-api';
import type { TenantSections } from './tenant-sections-yaml';
import { ELEVO_USER_SYNC, type ElevoSyncResult } from '../../src/connectors/elevo-user-sync/contract';
import { startLuccaReceiverFromRuntime } from '../../src/webhooks/lucca-receiver-from-runtime';
import type { RunningLuccaWebhookReceiver } from '../../src/webhooks/lucca-webhook-receiver';
import { startConnectorHarness, type ConnectorHarness } from './connector-harness';
import { freePort } from './free-port';

export const EVENTS_CLIENT = { clientId: 'acme-connectors', clientSecret: 'client-secret-for-tests-only' };

export interface EventsPathWorld {
  lucca: LuccaSandbox;
  api: LuccaApiSandbox;
  elevo: ElevoSandbox;
  harness: ConnectorHarness;
  client: Client;
  store: LuccaTenantStore;
  /** Stops the newer-API simulator early (deliveries and sweeps fail from then on). */
  stopApi(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One tenant with `lucca.events`, all real: the v3 and newer-API Lucca simulators, the Elevo
 * simulator, the dev server and the project's worker, our Lucca webhook receiver signalling the
 * change feeds, the endpoint registered as `tenants check` does, and a first full Elevo sync.
 */
export async function startEventsPathWorld(options: {
  tenantId: string;
  luccaApiKey: string;
  employees: number;
  seed: number;
  today: string;
  freshness: TenantSections['freshness'];
  delivery?: Partial<DeliveryPolicy>;
  harness?: Pick<Parameters<typeof startConnectorHarness>[0], 'payloadKey' | 'dynamicConfig'>;
}): Promise<EventsPathWorld> {
  const T = options.tenantId;
  const lucca = await LuccaSandbox.start({ requestsPerMinute: 0 });
  const store = generateLuccaTenant({
    tenantId: T,
    apiKey: options.luccaApiKey,
    employees: options.employees,
    seed: options.seed,
    today: options.today,
  });
  lucca.addTenant(T, store);
  const api = await LuccaApiSandbox.start({ lucca, delivery: options.delivery });
  api.enableTenant(T, EVENTS_CLIENT);
  const elevo = await ElevoSandbox.start({ tenants: [{ tenantId: T, token: `${T}-elevo` }] });
  const port = await freePort();
  const harness = await startConnectorHarness({
    ...options.harness,
    tenants: (secretRef) => [
      {
        id: T,
        luccaBaseUrl: lucca.baseUrlFor(T),
        luccaApiKey: options.luccaApiKey,
        luccaEvents: {
          clientId: secretRef('client-id', EVENTS_CLIENT.clientId),
          clientSecret: secretRef('client-secret', EVENTS_CLIENT.clientSecret),
          webhookUrl: `http://127.0.0.1:${port}/webhooks/lucca/${T}`,
          webhookSecret: 'file:lucca-webhook.secret',
          apiBaseUrl: api.apiBaseUrlFor(T),
          tokenUrl: api.tokenUrl,
        },
        sections: { elevo: { baseUrl: elevo.baseUrlFor(T), token: secretRef('elevo.token', `${T}-elevo`) }, freshness: options.freshness },
      },
    ],
  });
  const client = harness.env.client;
  const receiver: RunningLuccaWebhookReceiver = await startLuccaReceiverFromRuntime(harness.tenants, client, { port });
  const configDir = dirname(harness.configPath);
  const findings = await luccaEventsFindings({
    tenant: harness.tenants.tenant(T),
    secret: (ref) => resolveSecret(ref, configDir),
    configDir,
  });
  if (!findings.some((f) => f.code === 'lucca-api.webhook-active'))
    throw new Error(`endpoint not registered: ${findings.map((f) => f.code).join(', ')}`);
  const full = await client.workflow.execute(ELEVO_USER_SYNC, {
    workflowId: `elevo-user-sync/${T}/${options.today}/baseline`,
    taskQueue: harness.taskQueue,
    args: [{ tenantId: T }],
  });
  if ((full as ElevoSyncResult).status !== 'completed') throw new Error('the baseline sync did not complete');
  let apiStopped = false;
  return {
    lucca,
    api,
    elevo,
    harness,
    client,
    store,
    async stopApi() {
      apiStopped = true;
      await api.stop();
    },
    async stop() {
      await receiver.stop();
      await harness.stop();
      if (!apiStopped) await api.stop();
      await lucca.stop();
      await elevo.stop();
    },
  };
}
