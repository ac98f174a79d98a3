import { cachedDefinitions, cachedExtensionDefinition } from '../../../src/integrations/lucca/definition-cache';
import type { LuccaClient } from '../../../src/integrations/lucca/lucca-client';
import type { ExtensionDefinition } from '../../../src/integrations/lucca/lucca-schemas';

/** A client that only answers the definitions collection, counting its reads. */
function fakeLucca(definitions: ExtensionDefinition[], fail = false): LuccaClient & { reads: number } {
  const fake = {
    reads: 0,
    async listExtensionDefinitions() {
      fake.reads += 1;
      if (fail) throw new Error('Lucca is down');
      return definitions;
    },
  };
  return fake as unknown as LuccaClient & { reads: number };
}

const DEFS: ExtensionDefinition[] = [
  { code: 'e_order_status', formatKey: 'radio' },
  { code: 'E_Screening_Package', formatKey: 'select' },
];

describe('definitions: one collection read serves every code', () => {
  it('four codes, one read; codes matched case-insensitively; unknown code is null', async () => {
    const lucca = fakeLucca(DEFS);
    const found = await Promise.all(
      ['e_order_status', 'e_screening_package', 'E_ORDER_STATUS', 'e_missing'].map((c) => cachedExtensionDefinition(lucca, c)),
    );
    expect(found.map((d) => d?.formatKey ?? null)).toEqual(['radio', 'select', 'radio', null]);
    expect(lucca.reads).toBe(1);
  });

  it('refresh (the start of a run) reads again; the TTL expires the copy', async () => {
    const lucca = fakeLucca(DEFS);
    let t = 0;
    await cachedDefinitions(lucca, { now: () => t });
    await cachedDefinitions(lucca, { now: () => t, refresh: true });
    expect(lucca.reads).toBe(2);
    t = 5 * 60_000;
    await cachedDefinitions(lucca, { now: () => t });
    expect(lucca.reads).toBe(3);
  });

  it('a failed read is not cached', async () => {
    const lucca = fakeLucca(DEFS, true);
    await expect(cachedDefinitions(lucca)).rejects.toThrow('Lucca is down');
    await expect(cachedDefinitions(lucca)).rejects.toThrow('Lucca is down');
    expect(lucca.reads).toBe(2);
  });
});
