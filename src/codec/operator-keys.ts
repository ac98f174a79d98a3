import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { OPERATOR_PROOF_KEY, proofMessage, type OperatorCommandName, type OperatorProof, type ProofFields } from '../shared/operator-proof';

/**
 * Operators' Ed25519 keys. Workers hold only the public keys (config `operators`); each operator
 * holds their private key (LUCCA_CONNECTORS_OPERATOR_KEY on their machine). So a worker's
 * credentials, the payload keys or a codec-server token are not enough to sign a command.
 */
export interface OperatorPublicKey {
  /** The operator as reports show them (the config entry's name). */
  name: string;
  keyId: string;
  key: KeyObject;
}

/** Fingerprint of a public key: the first 16 hex digits of SHA-256 of its DER (SPKI). */
export function operatorKeyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** Config entries `{ name, publicKey }`, `publicKey` the base64 DER (SPKI) or PEM of an Ed25519 key. */
export function operatorPublicKeys(entries: ReadonlyArray<{ name: string; publicKey: string }>): OperatorPublicKey[] {
  return entries.map(({ name, publicKey }) => {
    const key = publicKey.includes('BEGIN PUBLIC KEY')
      ? createPublicKey(publicKey)
      : createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`operators: the key of "${name}" is not an Ed25519 public key`);
    return { name, keyId: operatorKeyId(key), key };
  });
}

/** A new operator key pair: the private key as PEM (PKCS#8), the public key as the config wants it. */
export function generateOperatorKey(): { privateKeyPem: string; publicKey: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    keyId: operatorKeyId(publicKey),
  };
}

export interface CommandTarget {
  command: OperatorCommandName;
  workflowId: string;
  runId: string;
}

/** The command with its proof: bound to the workflow and run, a fresh nonce, signed now. */
export function signOperatorCommand<T extends Record<string, unknown>>(
  fields: T,
  target: CommandTarget,
  privateKeyPem: string,
  now: Date = new Date(),
): T & { [OPERATOR_PROOF_KEY]: OperatorProof } {
  const privateKey = createPrivateKey(privateKeyPem);
  const proof: ProofFields = {
    v: 1,
    ...target,
    nonce: randomBytes(18).toString('base64url'),
    issuedAt: now.toISOString(),
    keyId: operatorKeyId(createPublicKey(privateKey)),
  };
  const signature = sign(null, Buffer.from(proofMessage(fields, proof)), privateKey).toString('base64');
  return { ...fields, [OPERATOR_PROOF_KEY]: { ...proof, signature } };
}

/** The operator whose key signed this proof for this workflow, or undefined. */
export function verifyOperatorProof(
  command: Record<string, unknown>,
  workflowId: string,
  keys: readonly OperatorPublicKey[],
): string | undefined {
  const proof = command[OPERATOR_PROOF_KEY] as Partial<OperatorProof> | undefined;
  if (
    typeof proof !== 'object' ||
    proof === null ||
    proof.v !== 1 ||
    proof.workflowId !== workflowId ||
    typeof proof.signature !== 'string'
  )
    return undefined;
  const { provenOperator: _set, signature, ...fields } = proof as OperatorProof;
  const candidates = keys.filter((k) => k.keyId === fields.keyId);
  const message = Buffer.from(proofMessage(command, fields));
  return candidates.find((k) => verify(null, message, k.key, Buffer.from(signature, 'base64')))?.name;
}
