import type { LoadedConfig } from './loaded-config';
import { luccaDomainKey } from '../shared/lucca-budget-contract';
import { connectorSectionOf, type BuiltInConnectorSections, type TenantConfig } from './config-schema';
import type { ConnectorConfigKey } from './connector-config-key';
import { resolveSecret } from './secret-reference';
import { secretConfinementOf } from './secret-confinement';
import { diffTenants, type TenantDiff } from './tenant-diff';
import { SlidingWindowBudget, type RequestBudget } from '../integrations/http/request-budget';
import { LuccaClient } from '../integrations/lucca/lucca-client';
import type { LuccaApiClient } from '../integrations/lucca-api/lucca-api-client';
import { luccaApiClientForTenant } from '../integrations/lucca-api/lucca-api-client-for-tenant';
import { PermanentError } from '../shared/permanent-error';

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
  /** Target-system clients by `<config key>/<tenant>`. */
  private readonly clients = new Map<string, unknown>();
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
    const stale = new Set([...diff.changed, ...diff.removed]);
    for (const id of stale) this.luccaClients.delete(id);
    for (const key of this.clients.keys()) if (stale.has(key.slice(key.indexOf('/') + 1))) this.clients.delete(key);
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
      value = resolveSecret(reference, this.loaded.baseDir, this.env, secretConfinementOf(this.loaded));
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
      client = new LuccaClient({
        tenantId,
        baseUrl: tenant.lucca.baseUrl,
        apiKey: this.secret(tenant.lucca.apiKey),
        budget: this.luccaBudget(tenantId),
      });
      this.luccaClients.set(tenantId, client);
    }
    return client;
  }

  /** The newer Lucca API (webhooks, events feed) of a tenant with `lucca.events`; it draws from the domain's budget. */
  luccaApi(tenantId: string): LuccaApiClient {
    const cacheKey = `lucca-api/${tenantId}`;
    let client = this.clients.get(cacheKey) as LuccaApiClient | undefined;
    if (!client) {
      client = luccaApiClientForTenant(this.tenant(tenantId), (ref) => this.secret(ref), this.luccaBudget(tenantId));
      this.clients.set(cacheKey, client);
    }
    return client;
  }

  /**
   * The tenant's section of a connector, as the connector's own type (its config-section.ts; the config loader
   * validated it with that schema); a tenant without it fails at once (permanent).
   */
  section<K extends keyof BuiltInConnectorSections>(tenantId: string, key: K): NonNullable<BuiltInConnectorSections[K]>;
  section<Section>(tenantId: string, key: ConnectorConfigKey): Section;
  section(tenantId: string, key: ConnectorConfigKey): unknown {
    const section = connectorSectionOf(this.tenant(tenantId), key);
    if (!section) throw new ConnectorNotConfiguredError(tenantId, key);
    return section;
  }

  /** One client per tenant and connector (its vendor's), built on first use from the tenant's section. */
  connectorClient<Section, C>(tenantId: string, key: ConnectorConfigKey, build: (section: Section) => C): C {
    const cacheKey = `${key}/${tenantId}`;
    let client = this.clients.get(cacheKey) as C | undefined;
    if (!client) {
      client = build(this.section<Section>(tenantId, key));
      this.clients.set(cacheKey, client);
    }
    return client;
  }
}

const budgetKey = (tenant: TenantConfig) => tenant.lucca.baseUrl.replace(/\/+$/, '').toLowerCase();

export class ConnectorNotConfiguredError extends PermanentError {
  constructor(
    readonly tenantId: string,
    readonly connector: string,
  ) {
    super(`tenant "${tenantId}" has no ${connector} section in the configuration`);
  }
}

export interface TenantDirectoryOptions {
  /** Wraps the in-process budget of a Lucca domain, e.g. to share it across worker processes. */
  luccaBudget?: (domainKey: string, perMinute: number, local: RequestBudget) => RequestBudget;
}

export class UnknownTenantError extends PermanentError {
  constructor(readonly tenantId: string) {
    super(`tenant "${tenantId}" is not in the configuration`);
  }
}
