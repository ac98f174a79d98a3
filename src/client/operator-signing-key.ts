import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SANDBOX_CONFIG_PATH } from '../config/load-config';

const SANDBOX_OPERATOR_KEY = join(SANDBOX_CONFIG_PATH, '..', 'sandbox-secrets', 'sandbox-operator.pem');

/**
 * The operator's private Ed25519 key, which signs approve / reject / cancel: a PEM file on the
 * operator's machine (LUCCA_CONNECTORS_OPERATOR_KEY_FILE) or the PEM itself
 * (LUCCA_CONNECTORS_OPERATOR_KEY, e.g. from a secret manager). Never in the shared config: workers
 * must not be able to sign.
 */
export function operatorSigningKey(configPath: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.LUCCA_CONNECTORS_OPERATOR_KEY?.includes('PRIVATE KEY')) return env.LUCCA_CONNECTORS_OPERATOR_KEY;
  // The sandbox (`npm start`) has its own operator, listed in config/sandbox.yaml.
  const file = env.LUCCA_CONNECTORS_OPERATOR_KEY_FILE || (resolve(configPath) === SANDBOX_CONFIG_PATH ? SANDBOX_OPERATOR_KEY : undefined);
  if (!file) {
    throw new Error(
      'approve, reject and cancel are signed with your operator key: set LUCCA_CONNECTORS_OPERATOR_KEY_FILE to its PEM file (create one with `lucca-connectors operator-key --out <file>` and add the printed public key under `operators` in the config)',
    );
  }
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new Error(`cannot read the operator key file named by LUCCA_CONNECTORS_OPERATOR_KEY_FILE (${file})`);
  }
}
