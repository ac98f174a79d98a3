import type { TenantConfig } from '../../config/config-schema';
import { PermanentError } from '../../shared/permanent-error';
import type { RequestBudget } from '../http/request-budget';
import { LuccaApiClient } from './lucca-api-client';

/** The newer Lucca API client of a tenant from its `lucca.events` section (secrets resolved by the caller's process). */
export function luccaApiClientForTenant(
  tenant: TenantConfig,
  secret: (reference: string) => string,
  budget?: RequestBudget,
): LuccaApiClient {
  const events = tenant.lucca.events;
  if (!events) throw new LuccaEventsNotConfiguredError(tenant.id);
  return new LuccaApiClient({
    tenantId: tenant.id,
    apiBaseUrl: events.apiBaseUrl ?? tenant.lucca.baseUrl,
    tokenUrl: events.tokenUrl,
    clientId: secret(events.clientId),
    clientSecret: secret(events.clientSecret),
    budget,
  });
}

export class LuccaEventsNotConfiguredError extends PermanentError {
  constructor(readonly tenantId: string) {
    super(`tenant "${tenantId}" has no lucca.events section: the newer Lucca API is not configured`);
  }
}
