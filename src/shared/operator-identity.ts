import { OPERATOR_PROOF_KEY, type OperatorProof } from './operator-proof';

/**
 * Who sent an approval, a rejection or a cancellation. Recorded: the operator their signed proof
 * names (see operator-proof.ts; `key` is the fingerprint of the key that signed it) and the identity
 * of the Temporal client, which Temporal also records in the history. Workflow-safe.
 */
export interface OperatorIdentity {
  /** Recorded: the operator the proof names (config `operators`). Sent: the CLI's configured identity (ignored once proven). */
  by: string;
  /** The Temporal client identity the request was sent with. */
  client: string;
  /** Fingerprint of the operator key that proved `by` (absent in runs decided before proofs existed). */
  key?: string;
}

/**
 * The identity a handler records: the one the verified proof names. A decision replayed from a
 * history older than proofs carries none and keeps what it recorded then.
 */
export function provenIdentity(command: Partial<OperatorIdentity>): { by: string; key?: string; nonce?: string } {
  const proof = (command as Record<string, unknown>)[OPERATOR_PROOF_KEY] as Partial<OperatorProof> | undefined;
  if (proof?.provenOperator)
    return { by: proof.provenOperator, ...(proof.keyId ? { key: proof.keyId } : {}), ...(proof.nonce ? { nonce: proof.nonce } : {}) };
  return { by: command.by ?? 'unknown' };
}

/** Update validators call this: a decision without both identities is rejected before it is accepted. */
export function requireOperatorIdentity(value: Partial<OperatorIdentity> | undefined): void {
  if (typeof value?.by !== 'string' || value.by.trim() === '' || typeof value.client !== 'string' || value.client.trim() === '') {
    throw new Error('a decision must carry the operator identity and the Temporal client identity (send it with the lucca-connectors CLI)');
  }
}

export function describeOperator(identity: OperatorIdentity): string {
  return identity.key
    ? `${identity.by} (proven by operator key ${identity.key}; Temporal client ${identity.client})`
    : `${identity.by} (Temporal client ${identity.client})`;
}
