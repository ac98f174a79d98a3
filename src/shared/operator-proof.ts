/**
 * Proof that an operator command (approve, reject, cancelOrder) was sent by a configured operator, for
 * this run, just now. The CLI signs it with the operator's own Ed25519 key (never held by workers);
 * the worker's codec verifies the signature against the configured public keys and the receiving
 * workflow (operator-proof-codec.ts) and records the operator it proved in `provenOperator`; the
 * update validator (requireOperatorProof) checks run, command, freshness and nonce before the handler
 * acts. Workflow-safe: no Node imports.
 */
export const OPERATOR_PROOF_KEY = '$operatorProof';
export type OperatorCommandName = 'approve' | 'reject' | 'cancelOrder';

export interface OperatorProof {
  v: 1;
  command: OperatorCommandName;
  workflowId: string;
  runId: string;
  /** Random, once per command: the same proof is accepted once per run. */
  nonce: string;
  /** ISO time the CLI signed it. */
  issuedAt: string;
  /** Fingerprint of the operator's public key (see operatorKeyId). */
  keyId: string;
  /** Base64 Ed25519 signature of proofMessage. */
  signature: string;
  /** Set by the worker's codec once the signature verified; anything a sender puts here is overwritten. */
  provenOperator?: string;
}

export type ProofFields = Omit<OperatorProof, 'signature' | 'provenOperator'>;

/** A command as sent: its own fields plus the proof. */
export type ProvedCommand<T> = T & { [OPERATOR_PROOF_KEY]?: OperatorProof };

/** How far the signing time may be from the workflow's time (clock skew and transit). */
export const PROOF_MAX_AGE_MS = 5 * 60_000;

/** The signed bytes: the command's fields (proof excluded) and the proof's, as canonical JSON. */
export function proofMessage(command: Record<string, unknown>, proof: ProofFields): string {
  const { [OPERATOR_PROOF_KEY]: _ignored, ...fields } = command;
  const { v, command: name, workflowId, runId, nonce, issuedAt, keyId } = proof;
  return canonicalJson({
    domain: 'lucca-connectors/operator-command',
    fields,
    proof: { v, command: name, workflowId, runId, nonce, issuedAt, keyId },
  });
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export interface ProofExpectation {
  command: OperatorCommandName;
  runId: string;
  /** The workflow's time (Date.now() in workflow code: deterministic). */
  nowMs: number;
  /** Nonces already accepted by this run. */
  usedNonces: ReadonlySet<string>;
}

/** The operator a verified proof names; throws (the validator rejects the update) otherwise. */
export function requireOperatorProof(command: unknown, expected: ProofExpectation): { operator: string; keyId: string; nonce: string } {
  const proof = (command as Record<string, unknown> | undefined)?.[OPERATOR_PROOF_KEY] as Partial<OperatorProof> | undefined;
  if (!proof || typeof proof.provenOperator !== 'string' || proof.provenOperator === '') {
    throw new Error(
      `${expected.command} refused: it carries no verified operator proof (send it with the lucca-connectors CLI and your operator key)`,
    );
  }
  if (proof.command !== expected.command)
    throw new Error(`${expected.command} refused: the proof was signed for "${String(proof.command)}"`);
  if (proof.runId !== expected.runId) throw new Error(`${expected.command} refused: the proof was signed for another run of this workflow`);
  const issued = Date.parse(String(proof.issuedAt));
  if (!Number.isFinite(issued) || Math.abs(expected.nowMs - issued) > PROOF_MAX_AGE_MS)
    throw new Error(`${expected.command} refused: the proof is not fresh (signed more than 5 minutes away from now)`);
  if (typeof proof.nonce !== 'string' || proof.nonce.length < 16 || expected.usedNonces.has(proof.nonce))
    throw new Error(`${expected.command} refused: the proof was already used`);
  return { operator: proof.provenOperator, keyId: String(proof.keyId), nonce: proof.nonce };
}
