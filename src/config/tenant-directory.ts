import type { LoadedConfig } from './load-config';
import type { TenantConfig } from './config-schema';
import { resolveSecret } from './secret-reference';
import { SlidingWindowBudget, type RequestBudget } from '../integrations/http/request-budget';
import { LuccaClient } from '../integrations/lucca/lucca-client';

/**
 * The tenants of one config, with their secrets resolved on first use (in the worker process only)
 * and one Lucca request budget per Lucca domain, shared by every connector of that customer.
 */
export class TenantDirectory {
  private readonly budgets = new Map<string, RequestBudget>();
  private readonly luccaClients = new Map<string, LuccaClient>();
  private readonly secrets = new Map<string, string>();

  constructor(readonly loaded: LoadedConfig, private readonly env: NodeJS.ProcessEnv = process.env) {}

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
    const key = tenant.lucca.baseUrl.replace(/\/+$/, '').toLowerCase();
    let budget = this.budgets.get(key);
    if (!budget) {
      budget = new SlidingWindowBudget(tenant.lucca.requestsPerMinute);
      this.budgets.set(key, budget);
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
}

export class UnknownTenantError extends Error {
  override readonly name = 'UnknownTenantError';
  constructor(readonly tenantId: string) {
    super(`tenant "${tenantId}" is not in the configuration`);
  }
}
