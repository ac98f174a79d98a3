import { temporal } from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { isNotFound } from '../temporal/grpc-status';
import type { TemporalServices } from './temporal-services';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;
type IndexedValueType = temporal.api.enums.v1.IndexedValueType;

const expectedType = (type: string): IndexedValueType => IndexedValueType[`INDEXED_VALUE_TYPE_${type}` as keyof typeof IndexedValueType] as IndexedValueType;
const typeName = (type: IndexedValueType) => (IndexedValueType[type] ?? String(type)).replace('INDEXED_VALUE_TYPE_', '');

export interface SearchAttributeGaps {
  /** Not registered on the namespace. */
  missing: string[];
  /** Registered with another type: setup cannot fix it (Temporal does not change a type). */
  wrongType: string[];
}

export async function searchAttributeGaps(services: TemporalServices, namespace: string): Promise<SearchAttributeGaps> {
  const { customAttributes } = await services.operatorService.listSearchAttributes({ namespace });
  const gaps: SearchAttributeGaps = { missing: [], wrongType: [] };
  for (const key of ALL_SEARCH_ATTRIBUTES) {
    const actual = customAttributes?.[key.name];
    if (actual === undefined || actual === null) gaps.missing.push(key.name);
    else if (actual !== expectedType(key.type)) gaps.wrongType.push(`${key.name} is ${typeName(actual)}, expected ${key.type}`);
  }
  return gaps;
}

export interface RetryOptions {
  /** How long to keep trying while a namespace created a moment ago is not yet visible everywhere. */
  timeoutMs: number;
  intervalMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Registers the project's search attributes on the namespace (idempotent). A namespace created a
 * moment ago answers NOT_FOUND until every frontend's namespace cache has refreshed: retried, then
 * the attributes are read back until they are visible.
 */
export async function ensureSearchAttributes(services: TemporalServices, namespace: string, retry: RetryOptions = { timeoutMs: 60_000, intervalMs: 500 }): Promise<string> {
  const deadline = Date.now() + retry.timeoutMs;
  for (;;) {
    try {
      const gaps = await searchAttributeGaps(services, namespace);
      if (gaps.wrongType.length > 0) throw new Error(`search attributes with the wrong type on namespace "${namespace}": ${gaps.wrongType.join('; ')} (remove them with \`temporal operator search-attribute remove\`, then run setup again)`);
      if (gaps.missing.length === 0) return `search attributes: ${ALL_SEARCH_ATTRIBUTES.map((k) => k.name).join(', ')} present`;
      const searchAttributes = Object.fromEntries(ALL_SEARCH_ATTRIBUTES.filter((k) => gaps.missing.includes(k.name)).map((k) => [k.name, expectedType(k.type)]));
      await services.operatorService.addSearchAttributes({ namespace, searchAttributes });
      await waitUntilVisible(services, namespace, deadline, retry.intervalMs);
      return `search attributes: added ${gaps.missing.join(', ')}`;
    } catch (err) {
      if (!isNotFound(err) || Date.now() > deadline) throw err;
      await sleep(retry.intervalMs);
    }
  }
}

async function waitUntilVisible(services: TemporalServices, namespace: string, deadline: number, intervalMs: number): Promise<void> {
  for (;;) {
    const gaps = await searchAttributeGaps(services, namespace);
    if (gaps.missing.length === 0) return;
    if (Date.now() > deadline) throw new Error(`search attributes ${gaps.missing.join(', ')} were added but are still not visible on namespace "${namespace}"`);
    await sleep(intervalMs);
  }
}
