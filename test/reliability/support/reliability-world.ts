import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { AequivalentSandbox, type AequivalentSandboxLifecycle } from '../../../dev/simulators/aequivalent';
import { ElevoSandbox } from '../../../dev/simulators/elevo';
import { generateLuccaTenant, LuccaSandbox, type LuccaTenantStore } from '../../../dev/simulators/lucca';
import { startWebhookReceiver, type RunningWebhookReceiver } from '../../../src/webhooks/aequivalent-webhook-receiver';
import { createWebhookSignaller } from '../../../src/webhooks/aequivalent-webhook-signaller';
import { tenantSectionsYaml, type TenantSections } from '../../support/tenant-sections-yaml';

/**
 * The simulators a reliability scenario runs against, all in the test process so they outlive
 * worker kills and Temporal restarts: one Lucca and one Elevo server (one domain/account per
 * tenant), one Aequivalent server per screening tenant (its faults are server-wide), and the
 * webhook receiver signalling through whatever Temporal client is current.
 */
export interface WorldTenant {
  id: string;
  /** Seed of the generated Lucca data; two tenants with the same seed hold the same employees. */
  seed: number;
  employees: number;
  elevo?: { batchSize?: number; safety?: NonNullable<TenantSections['elevo']>['safety'] };
  screening?: { screeningRatio?: number; pollIntervalMinutes?: number };
}

export interface ReliabilityWorld {
  lucca: LuccaSandbox;
  elevo: ElevoSandbox;
  aequivalent: Map<string, AequivalentSandbox>;
  receiver: RunningWebhookReceiver;
  luccaKeys: Map<string, string>;
  store(tenantId: string): LuccaTenantStore;
  /** The `tenants:` entries of a config file, secrets written as files under `dir`. */
  tenantsYaml(dir: string): string;
  /** Where webhooks are signalled (the client may change when Temporal restarts). */
  setClient(client: Client): void;
  stop(): Promise<void>;
}

export const RELIABILITY_TODAY = '2026-11-20';

export interface ReliabilityWorldOptions {
  aequivalentLifecycle?: AequivalentSandboxLifecycle;
  aequivalentMaxUploadBytes?: number;
  /** Where Aequivalent delivers webhooks (e.g. a receiver in a container); the world's own receiver otherwise. */
  webhookUrlFor?: (tenantId: string) => string;
}

export async function startReliabilityWorld(tenants: WorldTenant[], options: ReliabilityWorldOptions = {}): Promise<ReliabilityWorld> {
  const lucca = await LuccaSandbox.start({ requestsPerMinute: 0 });
  const elevoTokens = tenants.filter((t) => t.elevo).map((t) => ({ tenantId: t.id, token: `elevo-${randomUUID()}` }));
  const elevo = await ElevoSandbox.start({ tenants: elevoTokens });
  const luccaKeys = new Map<string, string>();
  const webhookSecrets = new Map<string, string>();
  const aequivalentKeys = new Map<string, string>();
  const aequivalent = new Map<string, AequivalentSandbox>();
  for (const t of tenants) {
    const key = randomUUID();
    luccaKeys.set(t.id, key);
    // The generator's tenant id only shapes the data (emails, company): same seed, same people.
    lucca.addTenant(
      t.id,
      generateLuccaTenant({
        tenantId: 'acme',
        apiKey: key,
        employees: t.employees,
        seed: t.seed,
        today: RELIABILITY_TODAY,
        screeningRatio: t.screening?.screeningRatio,
      }),
    );
  }
  let client: Client | undefined;
  const receiver = await startWebhookReceiver({
    secretsByTenant: webhookSecrets,
    onEvent: async (tenantId, event) => {
      if (!client) throw new Error('no Temporal client yet');
      await createWebhookSignaller({ client })(tenantId, event);
    },
  });
  for (const t of tenants.filter((t) => t.screening)) {
    webhookSecrets.set(t.id, `whsec-${randomUUID()}`);
    aequivalentKeys.set(t.id, `aeq-${randomUUID()}`);
    const sandbox = await AequivalentSandbox.start({
      lifecycle: options.aequivalentLifecycle ?? { mode: 'manual' },
      webhookRetry: { initialDelayMs: 200, maxDelayMs: 1_000, attempts: 6 },
      ...(options.aequivalentMaxUploadBytes ? { maxUploadBytes: options.aequivalentMaxUploadBytes } : {}),
    });
    sandbox.addTenant(t.id, {
      apiKey: aequivalentKeys.get(t.id)!,
      webhookSecret: webhookSecrets.get(t.id)!,
      webhookUrl: options.webhookUrlFor?.(t.id) ?? receiver.urlFor(t.id),
    });
    aequivalent.set(t.id, sandbox);
  }

  return {
    lucca,
    elevo,
    aequivalent,
    receiver,
    luccaKeys,
    store: (tenantId) => lucca.tenant(tenantId),
    setClient(next) {
      client = next;
    },
    tenantsYaml(dir) {
      mkdirSync(dir, { recursive: true });
      const secret = (name: string, value: string) => {
        writeFileSync(join(dir, name), value);
        return `file:${name}`;
      };
      return tenants
        .map((t) => {
          const lines = [
            `  - id: ${t.id}`,
            '    timeZone: Europe/Paris',
            '    lucca:',
            `      baseUrl: ${lucca.baseUrlFor(t.id)}`,
            `      apiKey: ${secret(`${t.id}-lucca.key`, luccaKeys.get(t.id)!)}`,
            '      requestsPerMinute: 50',
          ];
          const sections: TenantSections = {};
          if (t.elevo) {
            const token = secret(`${t.id}-elevo.token`, elevoTokens.find((e) => e.tenantId === t.id)!.token);
            const safety = t.elevo.safety ?? { maxSuspendPercent: 10, maxSuspendCount: 25, maxPopulationDropPercent: 20 };
            sections.elevo = {
              baseUrl: elevo.baseUrlFor(t.id),
              token,
              extraFields: { costCenter: 'extendedData.e_cost_center' },
              safety,
              batchSize: t.elevo.batchSize ?? 25,
            };
          }
          if (t.screening) {
            const [apiKey, webhookSecret] = [
              secret(`${t.id}-aeq.key`, aequivalentKeys.get(t.id)!),
              secret(`${t.id}-aeq-webhook.secret`, webhookSecrets.get(t.id)!),
            ];
            sections.aequivalent = {
              baseUrl: aequivalent.get(t.id)!.baseUrlFor(t.id),
              apiKey,
              webhookSecret,
              pollIntervalMinutes: t.screening.pollIntervalMinutes ?? 0.05,
            };
          }
          return [...lines, tenantSectionsYaml(sections)].join('\n');
        })
        .join('\n');
    },
    async stop() {
      await receiver.stop();
      for (const a of aequivalent.values()) await a.stop();
      await elevo.stop();
      await lucca.stop();
    },
  };
}
