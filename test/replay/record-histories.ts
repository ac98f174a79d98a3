/**
 * Records the histories replayed by the replay gate (test/replay/replay-gate.test.ts): every
 * workflow type and path, run for real against a Temporal dev server and the simulators, with the
 * production data converter and the sandbox payload key (so the committed files stay decodable and
 * hold only generated sandbox data, encrypted). Run it with `npm run replay:record` after a
 * deliberate workflow change, commit the files, and say so in the change.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { type LuccaTenantStore } from '../../dev/simulators/lucca';
import { approveElevoSyncUpdate, rejectElevoSyncUpdate } from '../../src/connectors/elevo-user-sync/contract';
import { cancelOrderUpdate, SCREENING_INTAKE, type ScreeningIntakeResult } from '../../src/connectors/aequivalent-screening/contract';
import type { ConnectorHarness } from '../support/connector-harness';
import { startElevoSyncWorld } from '../support/elevo-sync-world';
import {
  CODE,
  orderInputFor,
  orderState,
  placeFollowedOrder,
  startOrder,
  startScreeningWorld,
  usersInState,
  waitUntilFollowing,
} from '../integration/aequivalent-screening/screening-test-kit';
import { waitFor } from '../support/wait-for';
import { waitUntilHeld } from '../support/wait-until-held';
import { isExcludedFromElevo } from '../support/excluded-from-elevo';
import { signedFor } from '../support/test-operator';
import { startEventsPathWorld, type EventsPathWorld } from '../support/events-path-world';
import { connectorHealthQuery } from '../../src/shared/connector-health';
import { LUCCA_CHANGE_FEED, luccaChangeFeedWorkflowId } from '../../src/shared/lucca-change-feed-contract';

export const HISTORIES_DIR = resolve(__dirname, 'histories');
export const HISTORY_SUFFIX = '.history.binpb';
/** Per-tenant payload key material of the recording stores (sandbox tenants only), for the replay's codec. */
export const TENANT_MATERIAL_FILE = 'tenant-key-material.json';
const tenantMaterial: Record<string, string> = {};

async function keepTenantMaterial(harness: ConnectorHarness, tenantIds: string[]): Promise<void> {
  for (const id of tenantIds) {
    const material = await harness.artifacts.tenantKeyMaterial(id, false);
    if (material) tenantMaterial[id] = material.toString('base64');
  }
}
const ROOT = resolve(__dirname, '../..');
export const REPLAY_PAYLOAD_KEY = {
  id: 'sandbox-2026-11',
  material: readFileSync(join(ROOT, 'config/sandbox-secrets/payload-key-2026-11.key'), 'utf8').trim(),
};

/** Shutdown waits for in-flight activities; never let it hold the recorder forever. */
async function bounded(stopping: Promise<void>): Promise<void> {
  await Promise.race([stopping, new Promise<void>((r) => setTimeout(r, 60_000).unref())]);
}

interface Recorded {
  name: string;
  workflowId: string;
  runId?: string;
}

/**
 * Binary protobuf (`History.encode`): @temporalio/common 1.24.0's JSON helpers are unusable here (it
 * bundles protobufjs 8 while @temporalio/proto uses 7: "type must be a Type"). Payloads stay encrypted.
 */
async function save(client: Client, recorded: Recorded): Promise<void> {
  const history = await client.workflow.getHandle(recorded.workflowId, recorded.runId).fetchHistory();
  writeFileSync(join(HISTORIES_DIR, `${recorded.name}${HISTORY_SUFFIX}`), temporal.api.history.v1.History.encode(history).finish());
  console.log(`recorded ${recorded.name} (${history.events?.length ?? 0} events)`);
}

/** Every run of a workflow id, oldest first (continue-as-new chains). */
async function runIds(client: Client, workflowId: string): Promise<string[]> {
  const ids: Array<{ runId: string; start: number }> = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
    ids.push({ runId: run.runId, start: run.startTime.getTime() });
  return ids.sort((a, b) => a.start - b.start).map((r) => r.runId);
}

// ── screening ────────────────────────────────────────────────────────────────────────────────
async function recordScreening(): Promise<void> {
  const mirror = { mirror: { report_available: 'Rapport disponible' } };
  const world = await startScreeningWorld(
    [
      { id: 'rec-life', aequivalent: { statusLabels: mirror } },
      { id: 'rec-hr' },
      { id: 'rec-cancel' },
      { id: 'rec-wb' },
      { id: 'rec-deadline', noWebhooks: true, aequivalent: { followUpDeadlineDays: 0.0001 } },
    ],
    { payloadKey: REPLAY_PAYLOAD_KEY },
  );
  const client = world.harness.env.client;
  const done = (workflowId: string) => client.workflow.getHandle(workflowId).result();
  try {
    // Intake → a valid order (webhooks, then polls, mirrored status) and an invalid one.
    const T = 'rec-life';
    const intakeId = `screening-intake/${T}/replay`;
    const intake = (await client.workflow.execute(SCREENING_INTAKE, {
      taskQueue: world.harness.taskQueue,
      workflowId: intakeId,
      args: [{ tenantId: T }],
    })) as ScreeningIntakeResult;
    await save(client, { name: 'screening-intake', workflowId: intakeId });
    const valid = orderInputFor(world, T, usersInState(world, T, 'complete-to-order')[0]!);
    const invalid = orderInputFor(world, T, usersInState(world, T, 'incomplete-to-order')[0]!);
    if (!intake.started.includes(valid.workflowId) || !intake.started.includes(invalid.workflowId))
      throw new Error('the intake did not start both orders');
    await done(invalid.workflowId);
    await save(client, { name: 'screening-order-invalid', workflowId: invalid.workflowId });
    const { dossierId } = await waitUntilFollowing(world, valid.workflowId);
    world.aequivalent.advance(T, dossierId!, 'candidate_invited');
    world.aequivalent.advance(T, dossierId!, 'consent_given');
    await waitFor('webhooks applied', async () => ((await orderState(world, valid.workflowId)).signalsApplied >= 2 ? true : undefined));
    world.aequivalent.setWebhookUrl(T, undefined); // the rest is learned by polling
    world.aequivalent.advance(T, dossierId!, 'in_progress');
    world.aequivalent.advance(T, dossierId!, 'report_available', 'compliant');
    await done(valid.workflowId);
    await save(client, { name: 'screening-order-lifecycle-webhooks-polls-mirrored', workflowId: valid.workflowId });

    // HR reset the request before the order ran.
    const hr = orderInputFor(world, 'rec-hr', usersInState(world, 'rec-hr', 'complete-to-order')[0]!);
    world.lucca.tenant('rec-hr').clearExtendedValue(hr.luccaId, CODE);
    await startOrder(world, hr);
    await done(hr.workflowId);
    await save(client, { name: 'screening-order-cancelled-by-hr', workflowId: hr.workflowId });

    // Cancelled by an operator while followed.
    const { order: cancelled } = await placeFollowedOrder(world, 'rec-cancel');
    const cancelledHandle = client.workflow.getHandle(cancelled.workflowId);
    await cancelledHandle.executeUpdate(cancelOrderUpdate, {
      args: [await signedFor(cancelledHandle, 'cancelOrder', { by: 'ops@example.com', client: 'test' })],
    });
    await done(cancelled.workflowId);
    await save(client, { name: 'screening-order-cancelled', workflowId: cancelled.workflowId });

    // Write-back retried: reads pass, then the PUT and its retries fail for a while.
    const wb = orderInputFor(world, 'rec-wb', usersInState(world, 'rec-wb', 'complete-to-order')[0]!);
    world.lucca.setFaults('rec-wb', {
      script: [
        ...Array.from({ length: 5 }, () => ({ kind: 'latency' as const, ms: 0 })),
        ...Array.from({ length: 6 }, () => ({ kind: 'error' as const, status: 503 })),
      ],
    });
    await startOrder(world, wb);
    const wbDossier = (await waitUntilFollowing(world, wb.workflowId)).dossierId!;
    for (const step of ['candidate_invited', 'consent_refused'] as const) world.aequivalent.advance('rec-wb', wbDossier, step);
    await done(wb.workflowId);
    await save(client, { name: 'screening-order-write-back-retried', workflowId: wb.workflowId });

    // Outage during the follow-up, then the deadline.
    const late = orderInputFor(world, 'rec-deadline', usersInState(world, 'rec-deadline', 'complete-to-order')[0]!);
    await startOrder(world, late);
    await waitUntilFollowing(world, late.workflowId);
    world.aequivalent.setFaults({
      script: [
        { kind: 'error', status: 503 },
        { kind: 'error', status: 503 },
        { kind: 'error', status: 503 },
      ],
    });
    await done(late.workflowId);
    world.aequivalent.setFaults({ reset: true });
    await save(client, { name: 'screening-order-poll-failures-deadline', workflowId: late.workflowId });

    await recordBudget(world.harness);
    await keepTenantMaterial(world.harness, world.harness.tenants.tenantIds);
  } catch (err) {
    console.error('recording failed:', err);
    throw err;
  } finally {
    await bounded(world.stop());
  }
}

/** The shared Lucca budget workflow of a domain (long-lived: its open history is replayed). */
async function recordBudget(harness: ConnectorHarness): Promise<void> {
  for await (const run of harness.env.client.workflow.list({ query: `WorkflowType = 'luccaRequestBudget'` })) {
    await save(harness.env.client, { name: 'lucca-request-budget', workflowId: run.workflowId, runId: run.runId });
    return;
  }
  throw new Error('no budget workflow ran');
}

// ── Elevo sync ───────────────────────────────────────────────────────────────────────────────
async function recordElevo(
  options: { tenantId: string; dynamicConfig?: Record<string, number>; batchSize: number },
  scenarios: (ctx: ElevoCtx) => Promise<void>,
): Promise<void> {
  // One tenant per recording store: each store has its own per-tenant payload key material.
  const T = options.tenantId;
  const world = await startElevoSyncWorld(
    [
      {
        id: T,
        luccaApiKey: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
        elevoToken: 'tok-rec',
        employees: 120,
        seed: 5,
        today: '2026-11-20',
        elevo: { safety: { maxSuspendCount: 3, maxSuspendPercent: 50, maxPopulationDropPercent: 90 }, batchSize: options.batchSize },
      },
    ],
    { dynamicConfig: options.dynamicConfig, payloadKey: REPLAY_PAYLOAD_KEY },
  );
  const { harness, store } = world;
  let n = 0;
  const start = (name: string, input: Record<string, unknown> = {}) =>
    harness.env.client.workflow.start('elevoUserSync', {
      workflowId: `elevo-user-sync/${T}/2026-11-20/${name}-${++n}`,
      taskQueue: harness.taskQueue,
      args: [{ tenantId: T, runDate: '2026-11-20', ...input }],
    });
  try {
    await scenarios({ harness, store, start, client: harness.env.client });
    await keepTenantMaterial(harness, [T]);
  } catch (err) {
    console.error('recording failed:', err);
    throw err;
  } finally {
    await bounded(world.stop());
  }
}

interface ElevoCtx {
  harness: ConnectorHarness;
  store: LuccaTenantStore;
  client: Client;
  start: (name: string, input?: Record<string, unknown>) => ReturnType<Client['workflow']['start']>;
}

function leave(store: LuccaTenantStore, count: number): void {
  const users = [...store.users.values()];
  const victims = users.filter(
    (u) => store.statusOf(u) === 'current' && !users.some((r) => r.managerId === u.id) && !isExcludedFromElevo(store, u.id),
  );
  for (const v of victims.slice(0, count)) store.deleteUser(v.id);
}

async function held(ctx: ElevoCtx, name: string, input: Record<string, unknown> = {}) {
  const handle = await ctx.start(name, input);
  await waitUntilHeld(handle);
  return handle;
}

async function elevoPaths(ctx: ElevoCtx): Promise<void> {
  const completed = await ctx.start('completed');
  await completed.result();
  await save(ctx.client, { name: 'elevo-sync-completed', workflowId: completed.workflowId });
  // The tenant lock child of that run.
  for await (const run of ctx.client.workflow.list({ query: `WorkflowType = 'elevoSyncTenantLock'` })) {
    await save(ctx.client, { name: 'elevo-sync-tenant-lock', workflowId: run.workflowId, runId: run.runId });
    break;
  }
  const dry = await ctx.start('dry-run', { dryRun: true });
  await dry.result();
  await save(ctx.client, { name: 'elevo-sync-dry-run', workflowId: dry.workflowId });

  leave(ctx.store, 4);
  const approved = await held(ctx, 'approved');
  await approved.executeUpdate(approveElevoSyncUpdate, {
    args: [await signedFor(approved, 'approve', { by: 'ops@example.com', client: 'test' })],
  });
  await approved.result();
  await save(ctx.client, { name: 'elevo-sync-held-approved', workflowId: approved.workflowId });

  leave(ctx.store, 4);
  const rejected = await held(ctx, 'rejected');
  await rejected.executeUpdate(rejectElevoSyncUpdate, {
    args: [await signedFor(rejected, 'reject', { by: 'ops@example.com', client: 'test' })],
  });
  await rejected.result();
  await save(ctx.client, { name: 'elevo-sync-held-rejected', workflowId: rejected.workflowId });

  const timedOut = await held(ctx, 'timed-out', { approvalTimeout: '2 seconds' });
  await timedOut.result();
  await save(ctx.client, { name: 'elevo-sync-approval-timed-out', workflowId: timedOut.workflowId });

  const outdated = await held(ctx, 'outdated');
  leave(ctx.store, 1);
  await outdated.executeUpdate(approveElevoSyncUpdate, {
    args: [await signedFor(outdated, 'approve', { by: 'ops@example.com', client: 'test' })],
  });
  await outdated.result();
  await save(ctx.client, { name: 'elevo-sync-approval-outdated', workflowId: outdated.workflowId });
}

async function elevoContinuedAsNew(ctx: ElevoCtx): Promise<void> {
  const run = await ctx.start('continued');
  await run.result();
  const runs = await runIds(ctx.client, run.workflowId);
  if (runs.length < 2) throw new Error('the sync did not continue as new (lower the threshold or the batch size)');
  await save(ctx.client, { name: 'elevo-sync-continued-as-new-first-run', workflowId: run.workflowId, runId: runs[0] });
  await save(ctx.client, { name: 'elevo-sync-continued-as-new-last-run', workflowId: run.workflowId, runId: runs[runs.length - 1] });
}

// ── change feed (newer Lucca API: webhooks, sweep, polling fallback; continue-as-new) ─────────────
async function recordChangeFeed(): Promise<void> {
  const T = 'rec-feed';
  const world = await startEventsPathWorld({
    tenantId: T,
    luccaApiKey: '5e0c7a1d-93b2-4f6e-8d14-a27c6b90e3f5',
    employees: 20,
    seed: 41,
    today: '2026-11-20',
    freshness: { pollSeconds: 1, overlapSeconds: 60, burstThreshold: 50, sweepSeconds: 3, pollFallbackAfterSeconds: 10 },
    delivery: { retryDelaysMs: [30, 60, 120, 240], timeoutMs: 2_000, maxHoldMs: 3_000 },
    harness: { payloadKey: REPLAY_PAYLOAD_KEY, dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 80 } },
  });
  try {
    await changeFeedPaths(world, T);
    await keepTenantMaterial(world.harness, [T]);
  } finally {
    await bounded(world.stop());
  }
}

async function changeFeedPaths(world: EventsPathWorld, T: string): Promise<void> {
  const { client, store } = world;
  const feed = await client.workflow.start(LUCCA_CHANGE_FEED, {
    workflowId: luccaChangeFeedWorkflowId(T, 'elevo-user-sync'),
    taskQueue: world.harness.taskQueue,
    args: [{ tenantId: T, connector: 'elevo-user-sync' }],
  });
  const health = () => client.workflow.getHandle(feed.workflowId).query(connectorHealthQuery);
  const inElevo = (id: number, title: string) => world.elevo.users(T).some((u) => u.externalId === String(id) && u.jobTitle === title);
  const [a, b, c] = [...store.users.values()]
    .filter(
      (u) =>
        store.statusOf(u) === 'current' && u.dtContractEnd === null && !isExcludedFromElevo(store, u.id) && inElevo(u.id, u.jobTitle ?? ''),
    )
    .map((u) => u.id);
  await waitFor('sweeps', async () => ((await health()).sweeps ?? 0) >= 2, 60_000).catch(async (err: unknown) => {
    console.error('feed health:', JSON.stringify(await health()));
    throw err;
  });
  store.updateUser(a!, { jobTitle: 'Par webhook' });
  await waitFor('webhook change applied', () => inElevo(a!, 'Par webhook'), 60_000);
  world.api.scriptDeliveryFaults(T, [{ kind: 'lose' }]);
  store.updateUser(b!, { jobTitle: 'Par balayage', modifiedAt: '2020-01-01T00:00:00.000' });
  await waitFor('swept change applied', () => inElevo(b!, 'Par balayage'), 90_000);
  await waitFor('continued as new', async () => (await runIds(client, feed.workflowId)).length >= 2, 180_000);
  await world.stopApi();
  await waitFor('fallback polling', async () => (await health()).polling === 'fallback', 120_000);
  store.updateUser(c!, { jobTitle: 'Par sondage' });
  await waitFor('polled change applied', () => inElevo(c!, 'Par sondage'), 120_000);
  await client.workflow.getHandle(feed.workflowId).terminate('recorded');
  const runs = await runIds(client, feed.workflowId);
  await save(client, { name: 'lucca-change-feed-events-first-run', workflowId: feed.workflowId, runId: runs[0] });
  await save(client, { name: 'lucca-change-feed-events-last-run', workflowId: feed.workflowId, runId: runs[runs.length - 1] });
}

/** `--only change-feed`: records that scenario alone, next to the committed histories (the others untouched). */
const RECORDERS_ALONE: Record<string, () => Promise<void>> = { 'change-feed': recordChangeFeed };

async function recordOnly(name: string): Promise<void> {
  const recorder = RECORDERS_ALONE[name];
  if (!recorder) throw new Error(`--only takes one of: ${Object.keys(RECORDERS_ALONE).join(', ')}`);
  const materialFile = join(HISTORIES_DIR, TENANT_MATERIAL_FILE);
  Object.assign(tenantMaterial, JSON.parse(readFileSync(materialFile, 'utf8')) as Record<string, string>);
  await recorder();
  writeFileSync(materialFile, `${JSON.stringify(tenantMaterial, null, 2)}\n`);
}

async function main(): Promise<void> {
  const only = process.argv.indexOf('--only');
  if (only >= 0) return recordOnly(process.argv[only + 1] ?? '');
  rmSync(HISTORIES_DIR, { recursive: true, force: true });
  mkdirSync(HISTORIES_DIR, { recursive: true });
  await recordScreening();
  await recordElevo({ tenantId: 'rec-elevo', batchSize: 40 }, elevoPaths);
  // A low suggestion threshold makes the first sync (120 creates in batches of 5) continue as new.
  await recordElevo(
    { tenantId: 'rec-elevo-can', batchSize: 5, dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 40 } },
    elevoContinuedAsNew,
  );
  await recordChangeFeed();
  writeFileSync(join(HISTORIES_DIR, TENANT_MATERIAL_FILE), `${JSON.stringify(tenantMaterial, null, 2)}\n`);
  console.log(`${readdirSync(HISTORIES_DIR).filter((f) => f.endsWith(HISTORY_SUFFIX)).length} histories in ${HISTORIES_DIR}`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
