import { isNotFound } from '../temporal/grpc-status';
import { searchAttributeGaps } from './search-attribute-setup';
import type { StoreSchema } from './store-schema';
import type { TemporalServices } from './temporal-services';

export const SETUP_COMMAND = 'lucca-connectors setup';

/** A process cannot start because the cluster or the store was not prepared: one line, with the fix. */
export class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
}

export interface ReadinessTarget {
  services: TemporalServices;
  namespace: string;
  /** For the message: where the namespace was looked for. */
  address: string;
  store?: StoreSchema;
}

/**
 * Run at start-up by the worker, the webhook receiver and the CLI: the namespace, the search
 * attributes and the store must exist. Otherwise it throws one line naming what is missing and
 * the command that fixes it (a run would otherwise hang on BadSearchAttributes or fail later).
 */
export async function assertReady(target: ReadinessTarget): Promise<void> {
  const problems: string[] = [];
  const namespaceProblem = await namespaceMissing(target);
  if (namespaceProblem) problems.push(namespaceProblem);
  else {
    const gaps = await searchAttributeGaps(target.services, target.namespace);
    if (gaps.missing.length > 0)
      problems.push(
        `namespace "${target.namespace}" lacks the search attribute${gaps.missing.length > 1 ? 's' : ''} ${gaps.missing.join(', ')}`,
      );
    if (gaps.wrongType.length > 0)
      problems.push(`search attribute ${gaps.wrongType.join('; ')} (remove it with \`temporal operator search-attribute remove\` first)`);
  }
  const storeProblem = await target.store?.schemaProblem();
  // The store names its own fix; the line ends with the one command that fixes everything.
  if (storeProblem) problems.push(storeProblem.replace(/:\s*run `lucca-connectors setup`\s*$/, ''));
  if (problems.length > 0) throw new NotReadyError(`not ready: ${problems.join('; ')} — run \`${SETUP_COMMAND}\``);
}

async function namespaceMissing({ services, namespace, address }: ReadinessTarget): Promise<string | undefined> {
  try {
    await services.workflowService.describeNamespace({ namespace });
    return undefined;
  } catch (err) {
    if (isNotFound(err)) return `namespace "${namespace}" does not exist on ${address}`;
    throw err;
  }
}
