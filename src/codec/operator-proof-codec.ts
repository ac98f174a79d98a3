import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { OPERATOR_PROOF_KEY } from '../shared/operator-proof';
import { verifyOperatorProof, type OperatorPublicKey } from './operator-keys';
import { refusedMarkerPayload } from './strict-decoding-codec';

/**
 * Verifies operator proofs where the worker decodes a workflow's inbound payloads (it knows the
 * receiving workflow there; the sandbox has no crypto): a command carrying a proof that verifies gets
 * `provenOperator` set to the configured operator, one that does not becomes a refusal marker. Every
 * JSON object decoded in a workflow's context is looked at, whatever its size or escaping, so no
 * sender can smuggle a `provenOperator` of their own past it. Encoding is unchanged.
 */
export class OperatorProofCodec implements PayloadCodec {
  constructor(private readonly keys: () => readonly OperatorPublicKey[]) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads;
  }

  async decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    if (context?.type !== 'workflow') return payloads;
    return payloads.map((payload) => this.checked(payload, context.workflowId));
  }

  private checked(payload: Payload, workflowId: string): Payload {
    if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== 'json/plain') return payload;
    const command = parseObject(payload.data);
    if (!command || !Object.prototype.hasOwnProperty.call(command, OPERATOR_PROOF_KEY)) return payload;
    const operator = verifyOperatorProof(command, workflowId, this.keys());
    if (!operator) return refusedMarkerPayload('operator-proof-invalid');
    const proof = command[OPERATOR_PROOF_KEY] as Record<string, unknown>;
    return { ...payload, data: Buffer.from(JSON.stringify({ ...command, [OPERATOR_PROOF_KEY]: { ...proof, provenOperator: operator } })) };
  }
}

function parseObject(data: Uint8Array | null | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(data ?? []).toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
