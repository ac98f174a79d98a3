import { temporal } from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { GrpcStatus, grpcCode, isNotFound, isRefusedOperation } from '../temporal/grpc-status';
import { SetupRefusedError } from './setup-refused-error';
import type { TemporalServices } from './temporal-services';
import { setTimeout as delay } from 'node:timers/promises';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;
type IndexedValueType = temporal.api.enums.v1.IndexedValueType;

const expectedType = (type: string): IndexedValueType => IndexedValueType[`INDEXED_VALUE_TYPE_${type}` as keyof typeof IndexedValueType];
const typeName = (type: IndexedValueType) => (IndexedValueType[type] ?? String(type)).replace('INDEXED_VALUE_TYPE_', '');

export interface SearchAttributeGaps {
  /** Not registered on the namespace. */
  missing: string[];
  /** Registered with another type: setup cannot fix it (Temporal does not change a type). */
  wrongType: string[];
}

/**
 * What the namespace lacks. Through the operator API when the server opens it; Temporal Cloud does
 * not (`operatorApi: false`): there an unknown attribute makes a visibility query invalid.
 */
export async function searchAttributeGaps(
  services: TemporalServices,
  namespace: string,
): Promise<SearchAttributeGaps & { operatorApi: boolean }> {
  let customAttributes: Record<string, IndexedValueType> | null | undefined;
  try {
    ({ customAttributes } = await services.operatorService.listSearchAttributes({ namespace }));
  } catch (err) {
    if (!isRefusedOperation(err)) throw err;
    return { ...(await gapsFromVisibilityQueries(services, namespace)), operatorApi: false };
  }
  const gaps = { missing: [] as string[], wrongType: [] as string[], operatorApi: true };
  for (const key of ALL_SEARCH_ATTRIBUTES) {
    const actual = customAttributes?.[key.name];
    if (actual === undefined || actual === null) gaps.missing.push(key.name);
    else if (actual !== expectedType(key.type)) gaps.wrongType.push(`${key.name} is ${typeName(actual)}, expected ${key.type}`);
  }
  return gaps;
}

async function gapsFromVisibilityQueries(services: TemporalServices, namespace: string): Promise<SearchAttributeGaps> {
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

export interface RetryOptions {
  /** How long to keep trying while a namespace created a moment ago is not yet visible everywhere. */
  timeoutMs: number;
  intervalMs: number;
}

/**
 * Registers the project's search attributes on the namespace (idempotent). A namespace created a
 * moment ago answers NOT_FOUND until every frontend's namespace cache has refreshed: retried, then
 * the attributes are read back until they are visible.
 */
export async function ensureSearchAttributes(
  services: TemporalServices,
  namespace: string,
  retry: RetryOptions = { timeoutMs: 60_000, intervalMs: 500 },
): Promise<string> {
  const deadline = Date.now() + retry.timeoutMs;
  for (;;) {
    try {
      const gaps = await searchAttributeGaps(services, namespace);
      if (gaps.wrongType.length > 0)
        throw new Error(
          `search attributes with the wrong type on namespace "${namespace}": ${gaps.wrongType.join('; ')} (remove them with \`temporal operator search-attribute remove\`, then run setup again)`,
        );
      if (gaps.missing.length === 0) return `search attributes: ${ALL_SEARCH_ATTRIBUTES.map((k) => k.name).join(', ')} present`;
      if (!gaps.operatorApi) throw managedElsewhere(namespace, gaps.missing);
      const searchAttributes = Object.fromEntries(
        ALL_SEARCH_ATTRIBUTES.filter((k) => gaps.missing.includes(k.name)).map((k) => [k.name, expectedType(k.type)]),
      );
      await services.operatorService.addSearchAttributes({ namespace, searchAttributes }).catch((err: unknown) => {
        throw isRefusedOperation(err) ? managedElsewhere(namespace, gaps.missing) : err;
      });
      await waitUntilVisible(services, namespace, deadline, retry.intervalMs);
      return `search attributes: added ${gaps.missing.join(', ')}`;
    } catch (err) {
      if (err instanceof SetupRefusedError || !isNotFound(err) || Date.now() > deadline) throw err;
      await delay(retry.intervalMs);
    }
  }
}

async function waitUntilVisible(services: TemporalServices, namespace: string, deadline: number, intervalMs: number): Promise<void> {
  for (;;) {
    const gaps = await searchAttributeGaps(services, namespace);
    if (gaps.missing.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`search attributes ${gaps.missing.join(', ')} were added but are still not visible on namespace "${namespace}"`);
    await delay(intervalMs);
  }
}

function managedElsewhere(namespace: string, missing: string[]): SetupRefusedError {
  return new SetupRefusedError(
    `the server does not let us add search attributes to namespace "${namespace}" (Temporal Cloud: add ${missing.map((m) => `${m} (Keyword)`).join(', ')} with tcld or the Cloud UI), then run setup again`,
  );
}
