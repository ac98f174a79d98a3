import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { signOperatorCommand } from '../../src/codec/operator-keys';
import type { OperatorCommandName } from '../../src/shared/operator-proof';

/**
 * Operator keys for tests: Ed25519 keys derived from a name (deterministic, test-only; never a real
 * operator's). `TEST_OPERATOR` is listed under `operators` in every test config (test-config-file.ts).
 */
export function testOperatorKey(name: string): { name: string; privateKeyPem: string; publicKey: string } {
  const seed = createHash('sha256').update(`lucca-connectors test operator ${name}`).digest();
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return {
    name,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

export const TEST_OPERATOR = testOperatorKey('ops@test.example');

/** The YAML of the `operators` section listing these keys. */
export function operatorsYaml(keys = [TEST_OPERATOR]): string {
  return ['operators:', ...keys.map((k) => `  - { name: "${k.name}", publicKey: ${k.publicKey} }`)].join('\n');
}

/** A command signed as the CLI signs it, for the current run of `handle`. */
export async function signedFor<T extends Record<string, unknown>>(
  handle: WorkflowHandle,
  command: OperatorCommandName,
  fields: T,
  key = TEST_OPERATOR,
) {
  const { runId } = await handle.describe();
  return signOperatorCommand(fields, { command, workflowId: handle.workflowId, runId }, key.privateKeyPem);
}
