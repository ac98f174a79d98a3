import type { Payload } from '@temporalio/common';
import { AesGcmPayloadCodec } from './aes-gcm-payload-codec';
import type { CodecGrant } from './codec-authenticator';

/**
 * What a codec-server caller may open or seal. The server has no workflow context: each sealed
 * payload names (authenticated, in its metadata) the tenant and workflow it was sealed for, so a
 * request is allowed only when every payload's tenant is one of the caller's; a payload of no tenant
 * (shared key: the per-domain Lucca budget, old runs) needs `'*'`.
 */
export interface PayloadPlaces {
  tenants: string[];
  workflows: string[];
  /** Sealed payloads naming no tenant. */
  untenanted: number;
}

export function placesOf(payloads: readonly Payload[], tenantOfWorkflow: (workflowId: string) => string | undefined): PayloadPlaces {
  const tenants = new Set<string>();
  const workflows = new Set<string>();
  let untenanted = 0;
  for (const payload of payloads) {
    const binding = AesGcmPayloadCodec.bindingOf(payload);
    if (!binding) continue;
    const tenant = binding.tenant ?? (binding.workflowId ? tenantOfWorkflow(binding.workflowId) : undefined);
    if (tenant) tenants.add(tenant);
    else untenanted++;
    if (binding.workflowId) workflows.add(binding.workflowId);
  }
  return { tenants: [...tenants].sort(), workflows: [...workflows].sort(), untenanted };
}

export function mayDecode(grant: CodecGrant, places: PayloadPlaces): boolean {
  if (grant.tenants.includes('*')) return true;
  return places.untenanted === 0 && places.tenants.every((t) => grant.tenants.includes(t));
}

/** `/encode` seals for one named workflow of the caller's tenants, and only with an encode grant. */
export function encodeRefusal(
  grant: CodecGrant,
  workflowId: string | undefined,
  tenant: string | undefined,
): 'encode_not_allowed' | 'workflow_required' | 'tenant_not_allowed' | undefined {
  if (!grant.encode) return 'encode_not_allowed';
  if (!workflowId) return 'workflow_required';
  if (grant.tenants.includes('*')) return undefined;
  return tenant && grant.tenants.includes(tenant) ? undefined : 'tenant_not_allowed';
}
