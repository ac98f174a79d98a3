import { heartbeatProgress } from '../activity-heartbeats';
import {
  checkboxState,
  extendedCodesUsed,
  luccaFieldSelection,
  toSourceEmployee,
} from '../../connectors/elevo-user-sync/domain/lucca-source-mapping';
import type { SourceEmployee } from '../../connectors/elevo-user-sync/domain/sync-model';
import type { LuccaClient } from '../../integrations/lucca/lucca-client';
import { cachedDefinitions } from '../../integrations/lucca/definition-cache';
import type { ExtensionDefinition } from '../../integrations/lucca/lucca-schemas';
import { readExtendedData, type CanonicalUser } from '../../integrations/lucca/lucca-user-fields';
import { PermanentError } from '../../shared/permanent-error';

/** Two pages at once: each request's wait for a permit of the shared budget overlaps the other's transfer. */
export const POPULATION_PAGES_IN_FLIGHT = 2;

/**
 * The Lucca side of an Elevo sync: the definitions of the `e_` codes used (labels), then every user
 * with former employees, 1,000 per request, only the fields the mapping reads.
 */
export async function readLuccaPopulation(
  lucca: LuccaClient,
  mapping: { exclusionFieldCode: string; extraFields: Record<string, string> },
  tenantId: string,
  /** Only these users (`id=…`, `managerId=…`), with definitions already read: a targeted sync. Default: everyone. */
  subset?: { filters: Record<string, string>; definitions: Map<string, ExtensionDefinition> },
): Promise<SourceEmployee[]> {
  const definitions = subset?.definitions ?? (await readDefinitions(lucca, mapping));
  const source: SourceEmployee[] = [];
  let exclusionFieldVisible = false;
  for await (const page of lucca.listUsers({
    fields: luccaFieldSelection(mapping),
    formerEmployees: true,
    pagesInFlight: POPULATION_PAGES_IN_FLIGHT,
    ...(subset ? { filters: subset.filters } : {}),
  })) {
    for (const user of page.items) {
      refuseUnreadableExclusion(user, mapping.exclusionFieldCode, tenantId);
      const employee = toSourceEmployee(user, { ...mapping, definitions });
      if (employee) source.push(employee);
      // Selected explicitly, a readable code comes back even when empty (null); an unreadable one is omitted.
      if (!exclusionFieldVisible && readExtendedData(user, mapping.exclusionFieldCode) !== undefined) exclusionFieldVisible = true;
    }
    heartbeatProgress({ phase: 'lucca', fetched: source.length, total: page.count });
  }
  if (source.length > 0 && !exclusionFieldVisible) {
    // Lucca hides sections the key may not read, without an error: syncing now would create every excluded employee.
    // Safe side: a Lucca that leaves unset data out (undocumented either way) shows the same answer when nobody is excluded.
    throw new PermanentError(
      `the exclusion field ${mapping.exclusionFieldCode} came back on no employee of tenant "${tenantId}": the Lucca key most likely cannot see it; grant the key read access to its HR-file section (or fix elevo.exclusion.fieldCode). A Lucca that leaves unset data out answers the same when nobody is excluded (see docs/external-apis.md)`,
      'ExclusionFieldUnreadable',
    );
  }
  return source;
}

/**
 * The definitions of the `e_` codes the mapping reads (list labels): one read of the collection per
 * run (`GET /api/v3/extensionuserdefinitions`, paged), refreshed at the start of the run and shared
 * with the tenant's other connectors through the definition cache, not one request per code.
 */
export async function readDefinitions(
  lucca: LuccaClient,
  mapping: { exclusionFieldCode: string; extraFields: Record<string, string> },
): Promise<Map<string, ExtensionDefinition>> {
  const all = await cachedDefinitions(lucca, { refresh: true });
  const definitions = new Map<string, ExtensionDefinition>();
  for (const code of extendedCodesUsed(mapping)) {
    const definition = all.get(code.toLowerCase());
    if (definition) definitions.set(code.toLowerCase(), definition);
  }
  return definitions;
}

/** A box that is neither ticked nor unticked (L23) cannot be read as "not excluded": that would create someone excluded. */
function refuseUnreadableExclusion(user: CanonicalUser, code: string, tenantId: string): void {
  if (checkboxState(readExtendedData(user, code)) !== 'unreadable') return;
  throw new PermanentError(
    `the exclusion field ${code} holds a value that is not a checkbox value (true/false, "true"/"false", 1/0) on employees of tenant "${tenantId}": the sync stops rather than read it as "not excluded"; check in Lucca that ${code} is a checkbox (Case à cocher), or fix elevo.exclusion.fieldCode (see docs/external-apis.md L23)`,
    'ExclusionValueUnreadable',
  );
}
