import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from '../../../src/codec/aes-gcm-payload-codec';
import { tenantOfWorkflowId } from '../../../src/runtime/tenant-payload-keys';

/** Payloads of a tenant's workflows are sealed under that tenant's key; shredding its material makes them unreadable. */
describe('per-tenant payload keys', () => {
  const keys = [{ id: 'k1', key: Buffer.alloc(32, 1) }];
  const materials = new Map<string, Buffer>();
  const codec = (createsMaterial = true) => {
    const c = new AesGcmPayloadCodec(keys);
    c.useTenantKeys({
      createsMaterial,
      tenantOf: (id) => tenantOfWorkflowId(id, (t) => ['acme', 'globex', 'acme-fr'].includes(t)),
      material: async (tenant, create) => {
        if (!materials.has(tenant) && create) materials.set(tenant, Buffer.alloc(32, materials.size + 10));
        return materials.get(tenant);
      },
    });
    return c;
  };
  const payload = defaultPayloadConverter.toPayload({ name: 'Zoé' });
  const context = (workflowId: string) => ({ type: 'workflow' as const, namespace: 'default', workflowId });

  it('finds the tenant in connector workflow ids, including the time a Schedule appends, and nowhere else', () => {
    const isTenant = (t: string) => ['acme', 'acme-fr'].includes(t);
    expect(tenantOfWorkflowId('screening-order/acme/416/15040', isTenant)).toBe('acme');
    expect(tenantOfWorkflowId('elevo-user-sync/acme-fr-2026-11-20T05:00:00Z', isTenant)).toBe('acme-fr');
    expect(tenantOfWorkflowId('elevo-user-sync/acme-fr/2026-11-20', isTenant)).toBe('acme-fr');
    expect(tenantOfWorkflowId('lucca-request-budget/acme.ilucca.net', isTenant)).toBeUndefined();
    expect(tenantOfWorkflowId('no-slash', isTenant)).toBeUndefined();
  });

  it('seals a tenant workflow’s payloads under its key, labelled with the tenant; any codec with the store opens them without context', async () => {
    const [sealed] = await codec().encode([payload], context('screening-order/acme/416/1'));
    expect(Buffer.from(sealed!.metadata!['encryption-tenant']!).toString()).toBe('acme');
    const [opened] = await codec().decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual({ name: 'Zoé' });
    // The configured key alone (a codec without the store's tenant material) cannot open it.
    await expect(new AesGcmPayloadCodec(keys).decode([sealed!])).rejects.toThrow(/key material is not in this store/);
  });

  it('refuses a payload relabelled to another tenant', async () => {
    const [sealed] = await codec().encode([payload], context('elevo-user-sync/acme/2026-11-20'));
    await codec().encode([payload], context('elevo-user-sync/globex/2026-11-20'));
    const relabelled = { ...sealed!, metadata: { ...sealed!.metadata, 'encryption-tenant': Buffer.from('globex') } };
    await expect(codec().decode([relabelled])).rejects.toThrow();
  });

  it('keeps payloads without a tenant under the configured key (budget workflow, no context)', async () => {
    const [budget] = await codec().encode([payload], context('lucca-request-budget/acme.ilucca.net'));
    const [bare] = await codec().encode([payload]);
    for (const sealed of [budget!, bare!]) {
      expect(sealed.metadata!['encryption-tenant']).toBeUndefined();
      await expect(new AesGcmPayloadCodec(keys).decode([sealed])).resolves.toHaveLength(1);
    }
  });

  it('creates key material only in worker processes: elsewhere a tenant without material is sealed with the shared key', async () => {
    const [before] = await codec(false).encode([payload], context('screening-order/acme-fr/1/1'));
    expect(before!.metadata!['encryption-tenant']).toBeUndefined();
    expect(materials.has('acme-fr')).toBe(false);
    await codec(true).encode([payload], context('screening-order/acme-fr/1/1')); // a worker
    const [after] = await codec(false).encode([payload], context('screening-order/acme-fr/1/2'));
    expect(Buffer.from(after!.metadata!['encryption-tenant']!).toString()).toBe('acme-fr');
  });

  it('crypto-shreds: once the tenant’s material is gone its payloads no longer open, other tenants’ still do', async () => {
    const [acme] = await codec().encode([payload], context('screening-order/acme/1/1'));
    const [globex] = await codec().encode([payload], context('screening-order/globex/1/1'));
    materials.delete('acme');
    await expect(codec().decode([acme!])).rejects.toThrow(/tenant "acme", whose key material is not in this store/);
    await expect(codec().decode([globex!])).resolves.toHaveLength(1);
  });
});
