import { dirname } from 'node:path';
import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { resolveSecret } from '../../../src/config/secret-reference';
import { luccaEventsFindings } from '../../../src/onboarding/lucca-events-check';
import { ElevoSandbox } from '../../../src/sandbox/elevo';
import { generateLuccaTenant, LuccaSandbox, type LuccaTenantStore } from '../../../src/sandbox/lucca';
import { parisDay } from '../../../src/sandbox/lucca/lucca-dates';
import { LuccaApiSandbox } from '../../../src/sandbox/lucca-api';
import { connectorHealthQuery, type ConnectorHealth } from '../../../src/shared/connector-health';
import { ELEVO_USER_SYNC, type ElevoSyncResult } from '../../../src/shared/elevo-user-sync-contract';
import { LUCCA_CHANGE_FEED, luccaChangeFeedWorkflowId } from '../../../src/shared/lucca-change-feed-contract';
import { startLuccaReceiverFromRuntime } from '../../../src/webhooks/lucca-receiver-from-runtime';
import type { RunningLuccaWebhookReceiver } from '../../../src/webhooks/lucca-webhook-receiver';
import { startConnectorHarness, type ConnectorHarness } from '../../support/connector-harness';
import { isExcludedFromElevo } from '../../support/excluded-from-elevo';
import { freePort } from '../../support/free-port';
import { waitFor } from '../../support/wait-for';
import { TEST_DELIVERY } from '../lucca-api/lucca-api-test-kit';

const TENANT = 'acme';
const KEY = '3c2b9a41-6d7e-4f10-8a2b-5e9d0c1f7a64';
const CLIENT = { clientId: 'acme-connectors', clientSecret: 'client-secret-for-tests-only' };
const TODAY = parisDay(new Date());
/** Sweeps every 3 s (within the background half of 50/min); polling resumes after 10 s of silence or a missed delivery. */
const FRESHNESS = { pollSeconds: 1, overlapSeconds: 60, burstThreshold: 50, sweepSeconds: 3, pollFallbackAfterSeconds: 10 };

/**
 * A tenant with `lucca.events`, all real: the dev server and the project's worker, the v3 and
 * newer-API Lucca simulators, our webhook receiver signalling the change feed, the Elevo simulator.
 * Each fallback: webhooks healthy → v3 polling stands down; a delivery lost → the events-feed sweep
 * brings it (stamped long ago, so no poll could have); the newer API gone → v3 polling resumes.
 */
describe('change feed on the newer Lucca API: webhooks, events-feed sweep, polling as the fallback', () => {
  let lucca: LuccaSandbox;
  let api: LuccaApiSandbox;
  let elevo: ElevoSandbox;
  let harness: ConnectorHarness;
  let receiver: RunningLuccaWebhookReceiver;
  let store: LuccaTenantStore;
  let client: Client;
  let apiStopped = false;

  beforeAll(async () => {
    lucca = await LuccaSandbox.start({ requestsPerMinute: 0 });
    store = generateLuccaTenant({ tenantId: TENANT, apiKey: KEY, employees: 30, seed: 31, today: TODAY });
    lucca.addTenant(TENANT, store);
    api = await LuccaApiSandbox.start({ lucca, delivery: TEST_DELIVERY });
    api.enableTenant(TENANT, CLIENT);
    elevo = await ElevoSandbox.start({ tenants: [{ tenantId: TENANT, token: 'acme-elevo' }] });
    const port = await freePort();
    harness = await startConnectorHarness({
      tenants: (secretRef) => [
        {
          id: TENANT,
          luccaBaseUrl: lucca.baseUrlFor(TENANT),
          luccaApiKey: KEY,
          luccaEvents: {
            clientId: secretRef('client-id', CLIENT.clientId),
            clientSecret: secretRef('client-secret', CLIENT.clientSecret),
            webhookUrl: `http://127.0.0.1:${port}/webhooks/lucca/${TENANT}`,
            webhookSecret: 'file:lucca-webhook.secret',
            apiBaseUrl: api.apiBaseUrlFor(TENANT),
            tokenUrl: api.tokenUrl,
          },
          sections: { elevo: { baseUrl: elevo.baseUrlFor(TENANT), token: secretRef('elevo.token', 'acme-elevo') }, freshness: FRESHNESS },
        },
      ],
    });
    client = harness.env.client;
    receiver = await startLuccaReceiverFromRuntime(harness.tenants, client, { port });
    const configDir = dirname(harness.configPath);
    const findings = await luccaEventsFindings({
      tenant: harness.tenants.tenant(TENANT),
      secret: (ref) => resolveSecret(ref, configDir),
      configDir,
    });
    expect(findings.map((f) => f.code)).toContain('lucca-api.webhook-active');
    const full = await client.workflow.execute(ELEVO_USER_SYNC, {
      workflowId: `elevo-user-sync/${TENANT}/${TODAY}/baseline`,
      taskQueue: harness.taskQueue,
      args: [{ tenantId: TENANT }],
    });
    expect((full as ElevoSyncResult).status).toBe('completed');
    await client.workflow.start(LUCCA_CHANGE_FEED, {
      workflowId: luccaChangeFeedWorkflowId(TENANT, 'elevo-user-sync'),
      taskQueue: harness.taskQueue,
      args: [{ tenantId: TENANT, connector: 'elevo-user-sync' }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
  }, 240_000);

  afterAll(async () => {
    await receiver?.stop();
    await harness?.stop();
    if (!apiStopped) await api?.stop();
    await lucca?.stop();
    await elevo?.stop();
  });

  const health = (): Promise<ConnectorHealth> =>
    client.workflow.getHandle(luccaChangeFeedWorkflowId(TENANT, 'elevo-user-sync')).query(connectorHealthQuery);
  const elevoUser = (luccaId: number) => elevo.users(TENANT).find((u) => u.externalId === String(luccaId));
  let next = 0;
  const pick = () =>
    [...store.users.values()].filter(
      (u) => store.statusOf(u) === 'current' && u.dtContractEnd === null && !isExcludedFromElevo(store, u.id) && elevoUser(u.id),
    )[next++]!;

  it('webhooks healthy: the change is applied from its delivery and v3 polling stands down', async () => {
    await waitFor('the first sweeps', async () => (await health()).sweeps! >= 2, 60_000);
    const employee = pick();
    store.updateUser(employee.id, { jobTitle: 'Livré par webhook' });
    await waitFor('Elevo shows the change', () => elevoUser(employee.id)?.jobTitle === 'Livré par webhook', 60_000);
    const sweepsBefore = (await health()).sweeps!;
    await waitFor('two more sweeps', async () => (await health()).sweeps! >= sweepsBefore + 2, 60_000);
    const after = await health();
    expect(after).toMatchObject({ polls: 0, pollRequests: 0, missedDeliveries: 0, polling: 'standing-down' });
  }, 180_000);

  it('a delivery lost: the sweep brings the change (stamped long ago: no poll could have), and polling runs for a while', async () => {
    const employee = pick();
    const before = await health();
    api.scriptDeliveryFaults(TENANT, [{ kind: 'lose' }]);
    store.updateUser(employee.id, { jobTitle: 'Rattrapé par le balayage', modifiedAt: '2020-01-01T00:00:00.000' });
    await waitFor('Elevo shows the change', () => elevoUser(employee.id)?.jobTitle === 'Rattrapé par le balayage', 90_000);
    expect((await health()).missedDeliveries).toBeGreaterThanOrEqual(1);
    await waitFor('v3 polling resumed after the missed delivery', async () => (await health()).polls > before.polls, 60_000);
    await waitFor('and stands down again once deliveries are trusted', async () => (await health()).polling === 'standing-down', 90_000);
  }, 240_000);

  it('the newer API gone (no delivery, no sweep): v3 polling resumes and carries the change', async () => {
    await api.stop();
    apiStopped = true;
    const before = await health();
    await waitFor('polling resumes', async () => (await health()).polls > before.polls, 120_000);
    expect((await health()).polling).toBe('fallback');
    const employee = pick();
    store.updateUser(employee.id, { jobTitle: 'Par le sondage v3' });
    await waitFor('Elevo shows the change', () => elevoUser(employee.id)?.jobTitle === 'Par le sondage v3', 120_000);
  }, 300_000);
});
