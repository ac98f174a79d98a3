import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { codecFromConfig, createDataConverter } from '../../src/codec/data-converter';
import { loadConfig } from '../../src/config/load-config';
import { resolveSecret } from '../../src/config/secret-reference';
import { tenantOfWorkflowId } from '../../src/runtime/tenant-payload-keys';
import { workflowsEntry } from '../../src/runtime/workflows-entry';

/**
 * The replay gate: every recorded history (test/replay/histories, re-recorded with
 * `npm run replay:record`) replays against the current workflow code with the production data
 * converter. A change that alters the commands of a workflow in flight fails here, in CI, instead
 * of in production after the release.
 */
const HISTORIES = resolve(__dirname, 'histories');
// Binary protobuf, as written by record-histories.ts (kept free of its imports: it starts servers).
const SUFFIX = '.history.binpb';
const SANDBOX_CONFIG = resolve(__dirname, '../../config/sandbox.yaml');

/** The production converter with the sandbox key, and the recording stores' per-tenant key material. */
function productionDataConverter() {
  const { config } = loadConfig(SANDBOX_CONFIG);
  const codec = codecFromConfig(config, (ref) => resolveSecret(ref, dirname(SANDBOX_CONFIG)));
  const material = JSON.parse(readFileSync(join(HISTORIES, 'tenant-key-material.json'), 'utf8')) as Record<string, string>;
  codec.useTenantKeys({
    tenantOf: (workflowId) => tenantOfWorkflowId(workflowId, (id) => id in material),
    material: async (tenantId) => (material[tenantId] ? Buffer.from(material[tenantId], 'base64') : undefined),
    createsMaterial: false,
  });
  return createDataConverter(codec);
}

function recorded(): Array<{ workflowId: string; history: temporal.api.history.v1.IHistory; type: string }> {
  return readdirSync(HISTORIES)
    .filter((f) => f.endsWith(SUFFIX))
    .sort()
    .map((file) => {
      const history = temporal.api.history.v1.History.decode(readFileSync(join(HISTORIES, file)));
      const type = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '?';
      return { workflowId: file.slice(0, -SUFFIX.length), history, type };
    });
}

function recordedWorkflowId(history: temporal.api.history.v1.IHistory): string {
  const id = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId;
  if (!id) throw new Error('a recorded history without its workflow id');
  return id;
}

async function replay(workflowsPath: string, histories: ReturnType<typeof recorded>): Promise<Map<string, Error | undefined>> {
  const options: ReplayWorkerOptions = { workflowsPath, dataConverter: productionDataConverter(), replayName: 'replay-gate' };
  const outcomes = new Map<string, Error | undefined>();
  // Replayed under the workflow id they were recorded with: payloads are sealed for it (the codec
  // refuses them under another id). Results come back in order; they are named by file.
  let i = 0;
  for await (const result of Worker.runReplayHistories(
    options,
    histories.map(({ history }) => ({ workflowId: recordedWorkflowId(history), history })),
  )) {
    outcomes.set(histories[i++]!.workflowId, result.error);
  }
  return outcomes;
}

describe('replay gate', () => {
  const histories = recorded();
  jest.setTimeout(300_000);

  it('covers every long-lived workflow type and the listed paths', () => {
    const types = new Set(histories.map((h) => h.type));
    for (const type of [
      'elevoUserSync',
      'elevoSyncTenantLock',
      'screeningIntake',
      'screeningOrder',
      'luccaRequestBudget',
      'luccaChangeFeed',
    ])
      expect(types).toContain(type);
    expect(histories.map((h) => h.workflowId)).toEqual(
      expect.arrayContaining([
        'elevo-sync-completed',
        'elevo-sync-dry-run',
        'elevo-sync-held-approved',
        'elevo-sync-held-rejected',
        'elevo-sync-approval-timed-out',
        'elevo-sync-approval-outdated',
        'elevo-sync-continued-as-new-first-run',
        'elevo-sync-continued-as-new-last-run',
        'screening-intake',
        'screening-order-invalid',
        'screening-order-cancelled-by-hr',
        'screening-order-lifecycle-webhooks-polls-mirrored',
        'screening-order-cancelled',
        'screening-order-write-back-retried',
        'screening-order-poll-failures-deadline',
        'lucca-request-budget',
        'lucca-change-feed-events-first-run',
        'lucca-change-feed-events-last-run',
      ]),
    );
  });

  it('every recorded history replays against the current code', async () => {
    const outcomes = await replay(workflowsEntry(), histories);
    expect(outcomes.size).toBe(histories.length);
    const failed = [...outcomes].filter(([, error]) => error !== undefined).map(([id, error]) => `${id}: ${error!.message}`);
    expect(failed).toEqual([]);
  });

  it('fails on an incompatible change (a new timer in the order without patched()), passes when it is patched', async () => {
    const orders = histories.filter((h) => h.type === 'screeningOrder');
    const broken = await replay(require.resolve('./fixtures/order-with-unpatched-timer'), orders);
    expect([...broken.values()].map((error) => error?.name)).toEqual(orders.map(() => 'DeterminismViolationError'));
    const patched = await replay(require.resolve('./fixtures/order-with-patched-timer'), orders);
    expect([...patched.values()]).toEqual(orders.map(() => undefined));
  });
});
