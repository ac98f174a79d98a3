import { changesToPatch } from '../../connectors/elevo-user-sync/domain/attribute-mapping';
import type { WriteAction } from '../../connectors/elevo-user-sync/domain/sync-model';
import { IntegrationError } from '../../integrations/http/integration-error';
import { elevoErrorCode, type ElevoClient } from '../../connectors/elevo-user-sync/elevo/client';
import type { ElevoUpdateUserInput } from '../../connectors/elevo-user-sync/elevo/schemas';

/**
 * One plan action → Elevo calls. Every call is safe to repeat: creates carry an idempotency key
 * derived from the run and the employee, updates are absolute values, suspend/reactivate/release
 * set a state. A create whose manager Elevo does not know (its own create failed) is retried
 * manager-less rather than lost.
 */
/** Returns the Elevo id of a user created by this action. */
export async function applyElevoAction(elevo: ElevoClient, action: WriteAction, runKey: string): Promise<string | undefined> {
  switch (action.kind) {
    case 'create': {
      const key = `${runKey}:create:${action.luccaId}`;
      try {
        return (await elevo.createUser(action.attributes, key)).id;
      } catch (err) {
        if (action.attributes.managerExternalId && elevoErrorCode(err) === 'unknown_manager') {
          return (await elevo.createUser({ ...action.attributes, managerExternalId: null }, `${key}:no-manager`)).id;
        }
        throw err;
      }
    }
    case 'update': {
      const patch: ElevoUpdateUserInput = { ...changesToPatch(action.changes) };
      if (action.lockedAttributes) patch.lockedAttributes = action.lockedAttributes;
      if (Object.keys(patch).length > 0) await elevo.updateUser(action.elevoId, patch);
      return undefined;
    }
    case 'adopt': {
      await elevo.updateUser(action.elevoId, {
        ...changesToPatch(action.changes),
        externalId: action.externalId,
        lockedAttributes: action.lockedAttributes,
      });
      if (action.reactivate) await elevo.reactivateUser(action.elevoId);
      return undefined;
    }
    case 'reactivate': {
      const patch: ElevoUpdateUserInput = { ...changesToPatch(action.changes) };
      if (action.lockedAttributes) patch.lockedAttributes = action.lockedAttributes;
      if (Object.keys(patch).length > 0) await elevo.updateUser(action.elevoId, patch);
      await elevo.reactivateUser(action.elevoId);
      return undefined;
    }
    case 'suspend':
      await elevo.suspendUser(action.elevoId);
      return undefined;
    case 'release':
      await elevo.releaseUser(action.elevoId);
      return undefined;
    default: {
      const never: never = action;
      throw new IntegrationError({
        system: 'elevo',
        kind: 'bad-request',
        tenantId: '-',
        operation: 'plan',
        detail: `unknown action ${(never as { kind: string }).kind}`,
      });
    }
  }
}
