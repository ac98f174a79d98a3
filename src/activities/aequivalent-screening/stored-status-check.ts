import { IntegrationError } from '../../integrations/http/integration-error';
import { readExtendedData, toNullableInt, type CanonicalUser } from '../../integrations/lucca/lucca-user-fields';

/**
 * Lucca answers a write with the user's extended data after it. That a write without the edit
 * right is a 403 is our reading (docs/external-apis.md L22): should Lucca answer 200 and store
 * nothing, the answer still shows the old value. The write-back then fails as a refused right
 * (the same advice, retried without ordering twice) instead of claiming a status Lucca does not hold.
 */
export function assertStatusStored(after: CanonicalUser, code: string, entryId: number, tenantId: string): void {
  const stored = readExtendedData(after, code);
  const value = stored && !Array.isArray(stored) ? toNullableInt(stored.value) : null;
  if (value === entryId) return;
  throw new IntegrationError({
    system: 'lucca',
    kind: 'permission',
    tenantId,
    operation: 'PUT /api/v3/users/{id}',
    status: 200,
    detail: `Lucca accepted the write but ${code} does not hold the new status: it ignored the write, most likely because the key may not modify the section`,
  });
}
