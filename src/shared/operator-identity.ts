/**
 * Who sent an approval, a rejection or a cancellation. Both parts come from the sending process's
 * configuration, not from a command argument (see src/client/operator-identity.ts): the operator
 * identity configured for the CLI, and the identity of its Temporal client, which Temporal also
 * records in the workflow history. Workflow-safe.
 */
export interface OperatorIdentity {
  /** The operator (LUCCA_CONNECTORS_OPERATOR, or the OS account `user@host`). */
  by: string;
  /** The Temporal client identity the request was sent with. */
  client: string;
}

/** Update validators call this: a decision without both identities is rejected before it is accepted. */
export function requireOperatorIdentity(value: Partial<OperatorIdentity> | undefined): void {
  if (typeof value?.by !== 'string' || value.by.trim() === '' || typeof value.client !== 'string' || value.client.trim() === '') {
    throw new Error('a decision must carry the operator identity and the Temporal client identity (send it with the lucca-connectors CLI)');
  }
}

export function describeOperator(identity: OperatorIdentity): string {
  return `${identity.by} (Temporal client ${identity.client})`;
}
