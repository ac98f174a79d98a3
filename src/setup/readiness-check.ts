import { ALL_SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { GrpcStatus, grpcCode, isNotFound, isRefusedOperation } from '../temporal/grpc-status';
import { searchAttributeGaps, type SearchAttributeGaps } from './search-attribute-setup';
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
    const gaps = await attributeGaps(target);
    if (gaps.missing.length > 0) problems.push(`namespace "${target.namespace}" lacks the search attribute${gaps.missing.length > 1 ? 's' : ''} ${gaps.missing.join(', ')}`);
    if (gaps.wrongType.length > 0) problems.push(`search attribute ${gaps.wrongType.join('; ')} (remove it with \`temporal operator search-attribute remove\` first)`);
  }
  const storeProblem = await target.store?.schemaProblem();
  if (storeProblem) problems.push(`the artifact store is not ready: ${storeProblem}`);
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

/** Temporal Cloud refuses the operator service: there, an unknown attribute makes a visibility query invalid. */
async function attributeGaps({ services, namespace }: ReadinessTarget): Promise<SearchAttributeGaps> {
  try {
    return await searchAttributeGaps(services, namespace);
  } catch (err) {
    if (!isRefusedOperation(err)) throw err;
  }
  const missing: string[] = [];
  for (const key of ALL_SEARCH_ATTRIBUTES) {
    try {
      await services.workflowService.countWorkflowExecutions({ namespace, query: `${key.name} = '-'` });
    } catch (err) {
      if (grpcCode(err) !== GrpcStatus.INVALID_ARGUMENT) throw err;
      missing.push(key.name);
    }
  }
  return { missing, wrongType: [] };
}
