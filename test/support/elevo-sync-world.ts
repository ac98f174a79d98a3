import { ElevoSandbox } from '../../dev/simulators/elevo';
import { generateLuccaTenant, LuccaSandbox, type LuccaTenantStore } from '../../dev/simulators/lucca';
import { startConnectorHarness, type ConnectorHarness } from './connector-harness';
import type { TenantSections } from './tenant-sections-yaml';

type SecretRef = (name: string, value: string) => string;
type HarnessOptions = Omit<Parameters<typeof startConnectorHarness>[0], 'tenants'>;

/** One tenant of an Elevo-sync test: its generated Lucca domain, its Elevo account and its `elevo:` settings. */
export interface ElevoSyncTenant {
  id: string;
  luccaApiKey: string;
  elevoToken: string;
  employees: number;
  seed: number;
  /** The generated domain's "today" (the generator's default when omitted). */
  today?: string;
  /** The `elevo:` section besides baseUrl and token (which point at the sandbox). */
  elevo?: Omit<NonNullable<TenantSections['elevo']>, 'baseUrl' | 'token'>;
  /** More sections of the tenant entry (e.g. `aequivalent:`), secrets written through `secretRef`. */
  moreSections?: (secretRef: SecretRef) => Omit<TenantSections, 'elevo'>;
}

export interface ElevoSyncWorld {
  lucca: LuccaSandbox;
  elevo: ElevoSandbox;
  harness: ConnectorHarness;
  /** The first tenant's generated Lucca domain (`lucca.tenant(id)` for the others). */
  store: LuccaTenantStore;
  stop(): Promise<void>;
}

/**
 * What every Elevo-sync test runs against, all real: a Lucca sandbox with a generated domain per
 * tenant, an Elevo sandbox with each tenant's account, and the connector harness (dev server +
 * worker) configured with each tenant's `elevo:` section.
 */
export async function startElevoSyncWorld(tenants: ElevoSyncTenant[], harnessOptions: HarnessOptions = {}): Promise<ElevoSyncWorld> {
  const lucca = await LuccaSandbox.start({ requestsPerMinute: 0 });
  const elevo = await ElevoSandbox.start({ tenants: tenants.map((t) => ({ tenantId: t.id, token: t.elevoToken })) });
  for (const t of tenants) {
    lucca.addTenant(
      t.id,
      generateLuccaTenant({
        tenantId: t.id,
        apiKey: t.luccaApiKey,
        employees: t.employees,
        seed: t.seed,
        ...(t.today ? { today: t.today } : {}),
      }),
    );
  }
  // A failed start still stops the sandboxes: the test's afterAll has no world to stop.
  const harness = await startConnectorHarness({
    ...harnessOptions,
    tenants: (secretRef) =>
      tenants.map((t) => ({
        id: t.id,
        luccaBaseUrl: lucca.baseUrlFor(t.id),
        luccaApiKey: t.luccaApiKey,
        sections: {
          elevo: { baseUrl: elevo.baseUrlFor(t.id), token: secretRef(`${t.id}-elevo.token`, t.elevoToken), ...t.elevo },
          ...t.moreSections?.(secretRef),
        },
      })),
  }).catch(async (err: unknown) => {
    await Promise.all([lucca.stop(), elevo.stop()]);
    throw err;
  });
  return {
    lucca,
    elevo,
    harness,
    store: lucca.tenant(tenants[0]!.id),
    async stop() {
      await harness.stop();
      await Promise.all([lucca.stop(), elevo.stop()]);
    },
  };
}
