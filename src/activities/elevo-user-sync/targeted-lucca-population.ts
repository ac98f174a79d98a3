import type { SourceEmployee } from '../../connectors/elevo-user-sync/domain/sync-model';
import type { LuccaClient } from '../../integrations/lucca/lucca-client';
import type { ExtensionDefinition } from '../../integrations/lucca/lucca-schemas';
import { readDefinitions, readLuccaPopulation } from './elevo-lucca-population';

/** Ids per `id=` / `managerId=` filter: keeps the request line far below Lucca's 8 KB header limit. */
const IDS_PER_REQUEST = 200;

type Mapping = Parameters<typeof readLuccaPopulation>[1];

/** Reads subsets of one tenant's Lucca users for a targeted sync; the `e_` definitions are read once. */
export class FocusedLuccaReader {
  private definitions: Map<string, ExtensionDefinition> | undefined;

  constructor(
    private readonly lucca: LuccaClient,
    private readonly mapping: Mapping,
    private readonly tenantId: string,
  ) {}

  /** The changed employees (former ones included) and, for linking only, their managers. */
  async employeesAndManagers(focus: readonly number[]): Promise<SourceEmployee[]> {
    const employees = await this.byFilter('id', focus);
    const known = new Set(employees.map((e) => e.luccaId));
    const managers = [...new Set(employees.map((e) => e.managerLuccaId).filter((m): m is number => m !== null && !known.has(m)))];
    return [...employees, ...(await this.byFilter('id', managers))];
  }

  /** The employees whose manager is one of `managerIds`: their manager link may change with them. */
  reportsOf(managerIds: readonly number[]): Promise<SourceEmployee[]> {
    return this.byFilter('managerId', managerIds);
  }

  private async byFilter(filter: 'id' | 'managerId', ids: readonly number[]): Promise<SourceEmployee[]> {
    const out: SourceEmployee[] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_REQUEST) {
      this.definitions ??= await readDefinitions(this.lucca, this.mapping);
      const filters = { [filter]: ids.slice(i, i + IDS_PER_REQUEST).join(',') };
      out.push(...(await readLuccaPopulation(this.lucca, this.mapping, this.tenantId, { filters, definitions: this.definitions })));
    }
    return out;
  }
}
