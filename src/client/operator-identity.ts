import { hostname, userInfo } from 'node:os';
import type { OperatorIdentity } from '../shared/operator-identity';

/**
 * The identities an approval, rejection or cancellation is recorded with. They come from the
 * process's configuration (the operator's environment or OS account), never from a command
 * argument, so a decision cannot be signed with a name typed on the spot:
 * - operator: `LUCCA_CONNECTORS_OPERATOR` (set by whoever provisions the operator's machine or
 *   session), else the OS account as `user@host`;
 * - client: the Temporal client identity (`LUCCA_CONNECTORS_CLIENT_IDENTITY`, else
 *   `lucca-connectors-cli/<operator>`), which Temporal also writes into the workflow history.
 */
export function operatorIdentityFromEnv(env: NodeJS.ProcessEnv = process.env): OperatorIdentity {
  const by = env.LUCCA_CONNECTORS_OPERATOR?.trim() || `${osAccount()}@${hostname()}`;
  const client = env.LUCCA_CONNECTORS_CLIENT_IDENTITY?.trim() || `lucca-connectors-cli/${by}`;
  return { by, client };
}

function osAccount(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid-${process.getuid?.() ?? 'unknown'}`;
  }
}
