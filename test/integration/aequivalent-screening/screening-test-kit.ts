import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { AequivalentSandbox, type AequivalentSandboxOptions } from '../../../dev/simulators/aequivalent';
import {
  GENERATED_CODES,
  LuccaSandbox,
  generateLuccaTenant,
  screeningStateOf,
  type LuccaDialect,
  type ScreeningState,
} from '../../../dev/simulators/lucca';
import { startWebhookReceiver, type RunningWebhookReceiver } from '../../../src/webhooks/aequivalent-webhook-receiver';
import { createWebhookSignaller } from '../../../src/webhooks/aequivalent-webhook-signaller';
import {
  orderStateQuery,
  screeningOrderWorkflowId,
  type OrderState,
  type ScreeningOrderInput,
  SCREENING_ORDER,
} from '../../../src/connectors/aequivalent-screening/contract';
import { startConnectorHarness, type ConnectorHarness } from '../../support/connector-harness';
import type { TenantSections } from '../../support/tenant-sections-yaml';
import { waitFor } from '../../support/wait-for';

export const CODE = GENERATED_CODES.orderStatus;
export const TO_ORDER = 'Dossier à commander';
export const CREATED = 'Dossier crée par Aequivalent';

export interface WorldTenant {
  id: string;
  /** No webhook URL at Aequivalent: the order only learns by polling. */
  noWebhooks?: boolean;
  /** The `aequivalent:` section besides the sandbox's URL and secrets (default poll: every 3 s), e.g. `{ followUpDeadlineDays: 0.0002 }`. */
  aequivalent?: Omit<NonNullable<TenantSections['aequivalent']>, 'baseUrl' | 'apiKey' | 'webhookSecret'>;
  /** More sections of the tenant entry (e.g. `elevo:`, `notifications:`), secrets written through `secretRef`. */
  moreSections?: (secretRef: (name: string, value: string) => string) => Omit<TenantSections, 'aequivalent'>;
  /** How its simulated Lucca answers where the docs leave room (default: the documented answers). */
  dialect?: LuccaDialect;
  /** Generator seed (default 100 + the tenant's index). */
  seed?: number;
}

export interface ScreeningWorld {
  harness: ConnectorHarness;
  lucca: LuccaSandbox;
  aequivalent: AequivalentSandbox;
  receiver: RunningWebhookReceiver;
  luccaKeys: Map<string, string>;
  webhookSecrets: Map<string, string>;
  stop(): Promise<void>;
}

/**
 * Everything real: Lucca and Aequivalent sandboxes, the webhook receiver wired to the signaller
 * with the harness's Temporal client, and a worker running the project's workflows. One generated
 * Lucca domain (20 employees, one Background check section per state) per tenant.
 */
export async function startScreeningWorld(
  tenants: WorldTenant[],
  options: {
    aequivalent?: Partial<AequivalentSandboxOptions>;
    dynamicConfig?: Record<string, number | string>;
    payloadKey?: { id: string; material: string };
    deployment?: { name: string; buildId: string };
  } = {},
): Promise<ScreeningWorld> {
  const lucca = await LuccaSandbox.start({ requestsPerMinute: 0 });
  const aequivalent = await AequivalentSandbox.start({
    lifecycle: { mode: 'manual' },
    webhookRetry: { initialDelayMs: 100, maxDelayMs: 500, attempts: 5 },
    ...options.aequivalent,
  });
  const luccaKeys = new Map<string, string>();
  const webhookSecrets = new Map<string, string>();
  const apiKeys = new Map<string, string>();
  tenants.forEach((t, i) => {
    const key = randomUUID();
    luccaKeys.set(t.id, key);
    webhookSecrets.set(t.id, `whsec-${randomUUID()}`);
    apiKeys.set(t.id, `aeq-${randomUUID()}`);
    lucca.addTenant(
      t.id,
      generateLuccaTenant({
        tenantId: t.id,
        apiKey: key,
        employees: 20,
        seed: t.seed ?? 100 + i,
        ...(t.dialect ? { dialect: t.dialect } : {}),
      }),
    );
  });

  let harness: ConnectorHarness | undefined;
  const signal = (tenantId: string, event: Parameters<ReturnType<typeof createWebhookSignaller>>[1]) => {
    if (!harness) throw new Error('harness not started');
    return createWebhookSignaller({ client: harness.env.client })(tenantId, event);
  };
  const receiver = await startWebhookReceiver({ secretsByTenant: webhookSecrets, onEvent: signal });
  for (const t of tenants) {
    aequivalent.addTenant(t.id, {
      apiKey: apiKeys.get(t.id)!,
      webhookSecret: webhookSecrets.get(t.id)!,
      webhookUrl: t.noWebhooks ? undefined : receiver.urlFor(t.id),
    });
  }

  harness = await startConnectorHarness({
    tenants: (secretRef) =>
      tenants.map((t) => ({
        id: t.id,
        luccaBaseUrl: lucca.baseUrlFor(t.id),
        luccaApiKey: luccaKeys.get(t.id)!,
        sections: {
          aequivalent: {
            baseUrl: aequivalent.baseUrlFor(t.id),
            apiKey: secretRef(`${t.id}-aeq.key`, apiKeys.get(t.id)!),
            webhookSecret: secretRef(`${t.id}-aeq-webhook.secret`, webhookSecrets.get(t.id)!),
            pollIntervalMinutes: 0.05,
            ...t.aequivalent,
          },
          ...t.moreSections?.(secretRef),
        },
      })),
    dynamicConfig: options.dynamicConfig,
    payloadKey: options.payloadKey,
    deployment: options.deployment,
  });
  const started = harness;
  return {
    harness: started,
    lucca,
    aequivalent,
    receiver,
    luccaKeys,
    webhookSecrets,
    async stop() {
      await started.stop();
      await receiver.stop();
      await aequivalent.stop();
      await lucca.stop();
    },
  };
}

/**
 * Another employee ready to order: `other` is given `complete`'s Background check section (the
 * generated domain has one employee per state). Returns `other`.
 */
export function copyScreeningSection(world: Pick<ScreeningWorld, 'lucca'>, tenantId: string, complete: number, other: number): number {
  const store = world.lucca.tenant(tenantId);
  for (const code of Object.values(GENERATED_CODES).filter(
    (c) => c.startsWith('e_screening') || c.startsWith('e_candidate') || c === 'e_client_username' || c === 'e_order_status',
  )) {
    const entry = store.getExtendedValue(complete, code);
    if (entry === undefined) store.clearExtendedValue(other, code, { touch: false });
    else store.setExtendedValue(other, code, Array.isArray(entry) ? entry.map((e) => e.value) : entry.value, { touch: false });
  }
  return other;
}

/** The generated employees of one Background check state. */
export function usersInState(world: Pick<ScreeningWorld, 'lucca'>, tenantId: string, state: ScreeningState): number[] {
  const store = world.lucca.tenant(tenantId);
  return [...store.users.keys()].filter((id) => screeningStateOf(store, id) === state);
}

export function statusValue(world: Pick<ScreeningWorld, 'lucca'>, tenantId: string, luccaId: number): { id: number; value: number } {
  const entry = world.lucca.tenant(tenantId).getExtendedValue(luccaId, CODE);
  if (!entry || Array.isArray(entry)) throw new Error(`user ${luccaId} has no single ${CODE} value`);
  return { id: entry.id, value: Number(entry.value) };
}

export function statusLabel(world: Pick<ScreeningWorld, 'lucca'>, tenantId: string, luccaId: number): string | undefined {
  const entry = world.lucca.tenant(tenantId).getExtendedValue(luccaId, CODE);
  if (!entry || Array.isArray(entry)) return undefined;
  return world.lucca.tenant(tenantId).listEntryLabel(CODE, Number(entry.value));
}

export function orderInputFor(
  world: Pick<ScreeningWorld, 'lucca'>,
  tenantId: string,
  luccaId: number,
): ScreeningOrderInput & { workflowId: string } {
  const orderKey = String(statusValue(world, tenantId, luccaId).id);
  return { tenantId, luccaId, orderKey, workflowId: screeningOrderWorkflowId(tenantId, luccaId, orderKey) };
}

/** Starts an order workflow directly (as the intake would). */
export async function startOrder(world: ScreeningWorld, input: ScreeningOrderInput & { workflowId: string }): Promise<WorkflowHandle> {
  const { workflowId, ...args } = input;
  return world.harness.env.client.workflow.start(SCREENING_ORDER, { taskQueue: world.harness.taskQueue, workflowId, args: [args] });
}

export async function orderState(world: ScreeningWorld, workflowId: string): Promise<OrderState> {
  return world.harness.env.client.workflow.getHandle(workflowId).query(orderStateQuery);
}

/** Waits until the order follows its dossier (created, written back, files sent). */
export async function waitUntilFollowing(world: ScreeningWorld, workflowId: string): Promise<OrderState> {
  return waitFor(`${workflowId} following`, async () => {
    const state = await orderState(world, workflowId);
    return state.stage === 'following' ? state : undefined;
  });
}

/** Starts an order for the tenant's first employee ready to order, and waits until it follows its dossier. */
export async function placeFollowedOrder(
  world: ScreeningWorld,
  tenantId: string,
): Promise<{ order: ScreeningOrderInput & { workflowId: string }; handle: WorkflowHandle; following: OrderState; dossierId: string }> {
  const order = orderInputFor(world, tenantId, usersInState(world, tenantId, 'complete-to-order')[0]!);
  const handle = await startOrder(world, order);
  const following = await waitUntilFollowing(world, order.workflowId);
  return { order, handle, following, dossierId: following.dossierId! };
}
