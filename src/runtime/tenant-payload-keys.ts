import type { TenantPayloadKeys } from '../codec/aes-gcm-payload-codec';
import type { ArtifactStore } from '../storage/artifact-store';

/** A Schedule appends `-<scheduled time>` to the workflow id it starts (`elevo-user-sync/acme-2026-11-20T05:00:00Z`). */
const SCHEDULED_SUFFIX = /-\d{4}-\d{2}-\d{2}T[0-9:.]+Z$/;

/**
 * The tenant of a workflow id: every connector's ids are `<connector>/<tenant>/…`. Anything else (the
 * per-domain Lucca budget, ids of unknown tenants) stays under the shared configured key.
 */
export function tenantOfWorkflowId(workflowId: string, isTenant: (id: string) => boolean): string | undefined {
  const segment = workflowId.split('/')[1];
  if (!segment) return undefined;
  if (isTenant(segment)) return segment;
  const unscheduled = segment.replace(SCHEDULED_SUFFIX, '');
  return unscheduled !== segment && isTenant(unscheduled) ? unscheduled : undefined;
}

/** Per-tenant payload keys from the artifact store's tenant key material. */
export function tenantPayloadKeys(tenantIds: () => readonly string[], store: ArtifactStore, createsMaterial: boolean): TenantPayloadKeys {
  return {
    createsMaterial,
    tenantOf: (workflowId) => tenantOfWorkflowId(workflowId, (id) => tenantIds().includes(id)),
    material: (tenantId, create) => store.tenantKeyMaterial(tenantId, create),
  };
}
