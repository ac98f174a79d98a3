import { luccaEventKey } from '../../../src/integrations/lucca-api/event-key';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { resolveSecret } from '../../../src/config/secret-reference';
import { luccaEventsFindings } from '../../../src/onboarding/lucca-events-check';
import { buildRuntime, type ConnectorsRuntime } from '../../../src/runtime/connectors-runtime';
import { LUCCA_CHANGE_FEED, luccaChangeFeedWorkflowId, type EmployeesChanged } from '../../../src/shared/lucca-change-feed-contract';
import { ELEVO_USER_SYNC_CONNECTOR } from '../../../src/connectors/elevo-user-sync/contract';
import { startLuccaReceiverFromRuntime } from '../../../src/webhooks/lucca-receiver-from-runtime';
import type { LuccaWebhookLogLine, RunningLuccaWebhookReceiver } from '../../../src/webhooks/lucca-webhook-receiver';
import { freePort } from '../../support/free-port';
import { startTemporalTestEnv } from '../../support/temporal-test-env';
import { waitFor } from '../../support/wait-for';
import { receivedChangesQuery } from './change-feed-probe';
import { employeeIds, startLuccaApiWorld, TENANT, type LuccaApiWorld } from './lucca-api-test-kit';
import { writeLuccaEventsConfig } from './lucca-events-config-kit';

/**
 * The production path on a real Temporal dev server: config → `tenants check` registers the
 * endpoint → the simulated Lucca delivers a signed event → the webhook process's Lucca receiver
 * signals `employeesChanged` (sealed by the project's payload codec) to the tenant's change feed.
 * The change feed here is a probe registered under the real workflow type (23a owns the real one).
 */
describe('Lucca webhook → employeesChanged signal to the change feed (Temporal dev server)', () => {
  let world: LuccaApiWorld;
  let runtime: ConnectorsRuntime;
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let receiver: RunningLuccaWebhookReceiver;
  const logs: LuccaWebhookLogLine[] = [];
  const taskQueue = `lucca-events-${process.pid}`;

  beforeAll(async () => {
    world = await startLuccaApiWorld();
    const port = await freePort();
    const loaded = writeLuccaEventsConfig(world, `http://127.0.0.1:${port}/webhooks/lucca/${TENANT}`, { withConnectors: true });
    runtime = buildRuntime({ loaded, createsTenantKeys: true, settings: { dataDir: `${loaded.baseDir}/artifacts` } });
    await runtime.artifacts.migrate();
    env = await startTemporalTestEnv({ dataConverter: runtime.dataConverter });
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('./change-feed-probe'),
      dataConverter: runtime.dataConverter,
    });
    running = worker.run();
    receiver = await startLuccaReceiverFromRuntime(runtime.tenants, env.client, { port, log: (line) => logs.push(line) });
    const findings = await luccaEventsFindings({
      tenant: runtime.tenants.tenant(TENANT),
      secret: (ref) => resolveSecret(ref, loaded.baseDir),
      configDir: loaded.baseDir,
    });
    expect(findings.map((f) => f.code)).toContain('lucca-api.webhook-active');
  }, 180_000);
  afterAll(async () => {
    await receiver?.stop();
    worker?.shutdown();
    await running;
    await env?.teardown();
    await runtime?.close();
    await world?.stop();
  });

  it('signals the changed employee ids, with their event ids, to the running change feed', async () => {
    const feed = await env.client.workflow.start(LUCCA_CHANGE_FEED, {
      taskQueue,
      workflowId: luccaChangeFeedWorkflowId(TENANT, ELEVO_USER_SYNC_CONNECTOR),
    });
    const [a, b] = employeeIds(world);
    world.api.scriptDeliveryFaults(TENANT, [{ kind: 'duplicate' }]);
    world.store.updateUser(a!, { jobTitle: 'Cheffe de projet' });
    world.store.updateUser(b!, { lastName: 'Martin-Durand' });
    const received = await waitFor('two signals', async () => {
      const changes = await feed.query(receivedChangesQuery);
      return changes.length >= 2 ? changes : undefined;
    });
    await world.api.deliveriesSettled(TENANT);
    const events = world.api.tenant(TENANT).events.all().slice(-2);
    const expected: EmployeesChanged[] = [a!, b!].map((id, i) => ({
      employeeIds: [id],
      source: 'webhook',
      eventIds: [luccaEventKey(events[i]!)],
      observedAt: events[i]!.occurredAt,
    }));
    // Once each (the duplicate delivery was acknowledged without a second signal), in any order.
    expect([...(await feed.query(receivedChangesQuery))].sort((x, y) => x.employeeIds[0]! - y.employeeIds[0]!)).toEqual(expected);
    expect(received.length).toBe(2);
    // The Aequivalent connector's change feed is not running: logged and skipped, never started by the receiver.
    expect(logs.some((l) => l.msg.includes('change feed not running') && l.reason === 'aequivalent-screening')).toBe(true);
    await expect(env.client.workflow.getHandle(luccaChangeFeedWorkflowId(TENANT, 'aequivalent-screening')).describe()).rejects.toThrow();
    await feed.terminate();
  });
});
