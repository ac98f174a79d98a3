import type { LoadedConfig } from './load-config';
import { luccaDomainKey } from '../shared/lucca-budget-contract';
import type { TenantConfig } from './config-schema';
import { resolveSecret } from './secret-reference';
import { diffTenants, type TenantDiff } from './tenant-diff';
import { SlidingWindowBudget, type RequestBudget } from '../integrations/http/request-budget';
import { LuccaClient } from '../integrations/lucca/lucca-client';
import { ElevoClient } from '../integrations/elevo/elevo-client';
import { AequivalentClient } from '../integrations/aequivalent/aequivalent-client';

/**
 * The tenants of one config, with their secrets resolved on first use (in the worker process only)
 * and one Lucca request budget per Lucca domain, shared by every connector of that customer.
 * `replace` swaps the whole config at once (hot reload): readers see the old or the new one, never
 * a mix, and clients of changed or removed tenants are rebuilt on next use.
 */
export class TenantDirectory {
  private readonly budgets = new Map<string, RequestBudget>();
  private readonly budgetRates = new Map<string, number>();
  private readonly luccaClients = new Map<string, LuccaClient>();
  private readonly elevoClients = new Map<string, ElevoClient>();
  private readonly aequivalentClients = new Map<string, AequivalentClient>();
  private readonly secrets = new Map<string, string>();

  private current: LoadedConfig;

  constructor(
    loaded: LoadedConfig,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly options: TenantDirectoryOptions = {},
  ) {
    this.current = loaded;
  }

  get loaded(): LoadedConfig {
    return this.current;
  }

  /** Swaps in a validated config; returns what changed. Secrets are re-read (a file may have been rotated). */
  replace(next: LoadedConfig): TenantDiff {
    const diff = diffTenants(this.current.config.tenants, next.config.tenants);
    this.current = next;
    for (const id of [...diff.changed, ...diff.removed]) {
      this.luccaClients.delete(id);
      this.elevoClients.delete(id);
      this.aequivalentClients.delete(id);
    }
    this.secrets.clear();
    // A budget is per Lucca domain: rebuild the ones whose rate changed or that no tenant uses any more.
    const rates = new Map(next.config.tenants.map((t) => [budgetKey(t), t.lucca.requestsPerMinute]));
    for (const [key, rate] of this.budgetRates) {
      if (rates.get(key) === rate) continue;
      this.budgets.delete(key);
      this.budgetRates.delete(key);
    }
    return diff;
  }

  get tenantIds(): string[] {
    return this.loaded.config.tenants.map((t) => t.id);
  }

  tenant(tenantId: string): TenantConfig {
    const tenant = this.loaded.config.tenants.find((t) => t.id === tenantId);
    if (!tenant) throw new UnknownTenantError(tenantId);
    return tenant;
  }

  secret(reference: string): string {
    let value = this.secrets.get(reference);
    if (value === undefined) {
      value = resolveSecret(reference, this.loaded.baseDir, this.env);
      this.secrets.set(reference, value);
    }
    return value;
  }

  /** Budgets are keyed by Lucca origin + path so two tenants on one sandbox server stay separate. */
  luccaBudget(tenantId: string): RequestBudget {
    const tenant = this.tenant(tenantId);
    const key = budgetKey(tenant);
    let budget = this.budgets.get(key);
    if (!budget) {
      const local = new SlidingWindowBudget(tenant.lucca.requestsPerMinute);
      budget = this.options.luccaBudget?.(luccaDomainKey(tenant.lucca.baseUrl), tenant.lucca.requestsPerMinute, local) ?? local;
      this.budgets.set(key, budget);
      this.budgetRates.set(key, tenant.lucca.requestsPerMinute);
    }
    return budget;
  }

  lucca(tenantId: string): LuccaClient {
    let client = this.luccaClients.get(tenantId);
    if (!client) {
      const tenant = this.tenant(tenantId);
      client = new LuccaClient({ tenantId, baseUrl: tenant.lucca.baseUrl, apiKey: this.secret(tenant.lucca.apiKey), budget: this.luccaBudget(tenantId) });
      this.luccaClients.set(tenantId, client);
    }
    return client;
  }

  elevo(tenantId: string): ElevoClient {
    return this.cached(this.elevoClients, tenantId, 'elevo', (config) =>
      new ElevoClient({ tenantId, baseUrl: config.baseUrl, token: this.secret(config.token) }),
    );
  }

  aequivalent(tenantId: string): AequivalentClient {
    return this.cached(this.aequivalentClients, tenantId, 'aequivalent', (config) =>
      new AequivalentClient({ tenantId, baseUrl: config.baseUrl, apiKey: this.secret(config.apiKey) }),
    );
  }

  /** One client per tenant and connector, built on first use from the tenant's section. */
  private cached<K extends 'elevo' | 'aequivalent', C>(clients: Map<string, C>, tenantId: string, connector: K, build: (config: NonNullable<TenantConfig[K]>) => C): C {
    let client = clients.get(tenantId);
    if (!client) {
      const config = this.tenant(tenantId)[connector];
      if (!config) throw new ConnectorNotConfiguredError(tenantId, connector);
      client = build(config as NonNullable<TenantConfig[K]>);
      clients.set(tenantId, client);
    }
    return client;
  }
}

const budgetKey = (tenant: TenantConfig) => tenant.lucca.baseUrl.replace(/\/+$/, '').toLowerCase();

export class ConnectorNotConfiguredError extends Error {
  override readonly name = 'ConnectorNotConfiguredError';
  constructor(readonly tenantId: string, readonly connector: string) {
    super(`tenant "${tenantId}" has no ${connector} section in the configuration`);
  }
}

export interface TenantDirectoryOptions {
  /** Wraps the in-process budget of a Lucca domain, e.g. to share it across worker processes. */
  luccaBudget?: (domainKey: string, perMinute: number, local: RequestBudget) => RequestBudget;
}

export class UnknownTenantError extends Error {
  override readonly name = 'UnknownTenantError';
  constructor(readonly tenantId: string) {
    super(`tenant "${tenantId}" is not in the configuration`);
  }
}
