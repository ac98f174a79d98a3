import { LuccaApiClient, type LuccaApiClientOptions } from '../../../src/integrations/lucca-api/lucca-api-client';
import { EMPLOYEE_TOPICS } from '../../../src/integrations/lucca-api/employee-topics';
import { generateLuccaTenant, LuccaSandbox, type LuccaTenantStore } from '../../../dev/simulators/lucca';
import { LuccaApiSandbox, type DeliveryPolicy } from '../../../dev/simulators/lucca-api';
import type { EmployeesChanged } from '../../../src/shared/lucca-change-feed-contract';
import {
  startLuccaWebhookReceiver,
  type LuccaWebhookLogLine,
  type LuccaWebhookReceiverOptions,
  type RunningLuccaWebhookReceiver,
} from '../../../src/webhooks/lucca-webhook-receiver';

export const TENANT = 'acme';
export const CLIENT_ID = 'acme-connectors';
export const CLIENT_SECRET = 'client-secret-for-tests-only';
const API_KEY = '0f8fad5b-d9cb-469f-a165-70867728950e';

/** Fast retries for tests (Lucca's are spread over ~24 h). */
export const TEST_DELIVERY: Partial<DeliveryPolicy> = { retryDelaysMs: [30, 60, 120, 240], timeoutMs: 2_000, maxHoldMs: 3_000 };

export interface LuccaApiWorld {
  lucca: LuccaSandbox;
  store: LuccaTenantStore;
  api: LuccaApiSandbox;
  client(extra?: Partial<LuccaApiClientOptions>): LuccaApiClient;
  stop(): Promise<void>;
}

/** The v3 simulator with one generated tenant, and the newer API on top of it with one OAuth client. */
export async function startLuccaApiWorld(
  options: { delivery?: Partial<DeliveryPolicy>; tokenTtlSeconds?: number; now?: () => Date } = {},
): Promise<LuccaApiWorld> {
  const lucca = await LuccaSandbox.start({ requestsPerMinute: 0, ...(options.now ? { now: options.now } : {}) });
  const store = generateLuccaTenant({ tenantId: TENANT, apiKey: API_KEY, employees: 20, seed: 11 });
  lucca.addTenant(TENANT, store);
  const api = await LuccaApiSandbox.start({
    lucca,
    delivery: { ...TEST_DELIVERY, ...options.delivery },
    tokenTtlSeconds: options.tokenTtlSeconds,
    now: options.now,
  });
  api.enableTenant(TENANT, { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  const client = (extra: Partial<LuccaApiClientOptions> = {}) =>
    new LuccaApiClient({
      tenantId: TENANT,
      apiBaseUrl: api.apiBaseUrlFor(TENANT),
      tokenUrl: api.tokenUrl,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      retry: { initialDelayMs: 10 },
      ...extra,
    });
  return {
    lucca,
    store,
    api,
    client,
    stop: async () => {
      await api.stop();
      await lucca.stop();
    },
  };
}

export interface RecordingReceiver {
  receiver: RunningLuccaWebhookReceiver;
  changes: EmployeesChanged[];
  logs: LuccaWebhookLogLine[];
  secrets: Map<string, string>;
  /** Hand-overs that fail next (the receiver answers 503, Lucca delivers again). */
  failNext: { count: number };
}

/** Our receiver, recording what it hands over instead of signalling Temporal. */
export async function startRecordingReceiver(extra: Partial<LuccaWebhookReceiverOptions> = {}): Promise<RecordingReceiver> {
  const changes: EmployeesChanged[] = [];
  const logs: LuccaWebhookLogLine[] = [];
  const secrets = new Map<string, string>();
  const failNext = { count: 0 };
  const receiver = await startLuccaWebhookReceiver({
    secretsByTenant: secrets,
    onChange: async (_tenantId, change) => {
      if (failNext.count > 0) {
        failNext.count -= 1;
        throw new Error('change feed unreachable');
      }
      changes.push(change);
    },
    log: (line) => logs.push(line),
    ...extra,
  });
  return { receiver, changes, logs, secrets, failNext };
}

/** Registers the receiver at the simulated Lucca (echo handshake) and gives it the endpoint's secret. */
export async function registerReceiver(world: LuccaApiWorld, recording: RecordingReceiver): Promise<string> {
  const created = await world
    .client()
    .createWebhookEndpoint({ name: 'tests', webhookUrl: recording.receiver.urlFor(TENANT), topics: EMPLOYEE_TOPICS });
  recording.secrets.set(TENANT, created.secret);
  return created.id;
}

/** Employee ids of the generated tenant, in order. */
export const employeeIds = (world: LuccaApiWorld): number[] => [...world.store.users.keys()].sort((a, b) => a - b);
