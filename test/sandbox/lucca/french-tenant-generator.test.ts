import {
  GENERATED_CODES,
  generateLuccaTenant,
  generateSandboxTenant,
  sandboxApiKeyFor,
  SANDBOX_TENANTS,
  SCREENING_PACKAGES,
  screeningStateOf,
  type LuccaTenantStore,
} from '../../../dev/simulators/lucca';

const KEY = 'bd6d5481-40eb-414b-9135-434e12749223';
const TODAY = '2026-11-20';

function snapshot(store: LuccaTenantStore): string {
  const users = [...store.users.values()].map((u) => ({ ...u, ext: [...store.extendedDataOf(u.id)] }));
  const files = [...store.files].map(([guid, f]) => [guid, f.name, f.bytes.toString('base64')]);
  return JSON.stringify({ users, files, defs: [...store.definitions.values()] });
}

describe('generateLuccaTenant', () => {
  const store = generateLuccaTenant({ tenantId: 'acme', apiKey: KEY, employees: 2000, seed: 42, today: TODAY });
  const users = [...store.users.values()];
  const status = (id: number) => store.statusOf(store.getUser(id)!, TODAY);

  it('is deterministic for a seed and differs across seeds', () => {
    const again = generateLuccaTenant({ tenantId: 'acme', apiKey: KEY, employees: 2000, seed: 42, today: TODAY });
    const other = generateLuccaTenant({ tenantId: 'acme', apiKey: KEY, employees: 2000, seed: 43, today: TODAY });
    expect(snapshot(again)).toBe(snapshot(store));
    expect(snapshot(other)).not.toBe(snapshot(store));
  });

  it('has exactly the requested number of users and a single root, the current CEO', () => {
    expect(users).toHaveLength(2000);
    const roots = users.filter((u) => u.managerId === null);
    expect(roots).toHaveLength(1);
    expect(status(roots[0]!.id)).toBe('current');
  });

  it('points every managerId to an existing current user, without cycles', () => {
    for (const u of users) {
      if (u.managerId === null) continue;
      const manager = store.getUser(u.managerId);
      expect(manager).toBeDefined();
      expect(status(manager!.id)).toBe('current');
      expect(manager!.dtContractEnd).toBeNull();
    }
    for (const u of users) {
      const seen = new Set<number>();
      let cursor: number | null = u.id;
      while (cursor !== null) {
        expect(seen.has(cursor)).toBe(false);
        seen.add(cursor);
        cursor = store.getUser(cursor)!.managerId;
      }
    }
  });

  it('has unique emails, logins and employee numbers, with folded accents', () => {
    const mails = users.map((u) => u.mail);
    expect(new Set(mails).size).toBe(users.length);
    expect(new Set(users.map((u) => u.employeeNumber)).size).toBe(users.length);
    for (const mail of mails) expect(mail).toMatch(/^[a-z0-9-]+\.[a-z0-9-]+\d*@acme\.example\.fr$/);
    for (const n of users.map((u) => u.employeeNumber)) expect(n).toMatch(/^\d{5}$/);
    expect(users.some((u) => /[éèëïöüç]/i.test(`${u.firstName}${u.lastName}`))).toBe(true);
  });

  it('roughly respects the former / future / skip ratios and French cultures', () => {
    const n = users.length;
    const former = users.filter((u) => status(u.id) === 'former').length / n;
    const future = users.filter((u) => status(u.id) === 'future').length / n;
    const skipped =
      users.filter((u) => {
        const v = store.getExtendedValue(u.id, GENERATED_CODES.skipElevoSync);
        return v !== undefined && !Array.isArray(v) && v.value === true;
      }).length / n;
    expect(former).toBeGreaterThan(0.03);
    expect(former).toBeLessThan(0.08);
    expect(future).toBeGreaterThan(0.008);
    expect(future).toBeLessThan(0.035);
    expect(skipped).toBeGreaterThan(0.015);
    expect(skipped).toBeLessThan(0.05);
    expect(users.filter((u) => u.cultureID === 1036).length / n).toBeGreaterThan(0.8);
    const costCenters = users.filter((u) => store.getExtendedValue(u.id, GENERATED_CODES.costCenter) !== undefined).length / n;
    expect(costCenters).toBeGreaterThan(0.85);
  });

  it('defines the Background check section with sparse list entry ids', () => {
    const pkg = store.definition(GENERATED_CODES.screeningPackage)!;
    expect(pkg.formatKey).toBe('list');
    expect(pkg.entries.map((e) => e.name)).toEqual(SCREENING_PACKAGES);
    const ids = pkg.entries.map((e) => e.id);
    expect(ids.every((id, i) => i === 0 || id - ids[i - 1]! > 1)).toBe(true);
    expect(store.definition(GENERATED_CODES.otherFiles)!.isMultiple).toBe(true);
    expect(store.definition(GENERATED_CODES.clientUsername)!.formatKey).toBe('user');
    expect(store.definition(GENERATED_CODES.skipElevoSync)!.formatKey).toBe('boolean');
  });

  it('has Background check sections in every state, with valid PDF attachments', () => {
    const states = users.map((u) => screeningStateOf(store, u.id)).filter((s) => s !== null);
    expect(new Set(states)).toEqual(new Set(['complete-to-order', 'incomplete-to-order', 'already-created', 'no-status']));
    expect(states.length).toBeGreaterThanOrEqual(Math.round(2000 * 0.02) - 1);
    for (const u of users) {
      const cv = store.getExtendedValue(u.id, GENERATED_CODES.cvFile);
      if (!cv || Array.isArray(cv)) continue;
      const file = store.getFile(String(cv.value))!;
      expect(file.contentType).toBe('application/pdf');
      expect(file.bytes.subarray(0, 5).toString()).toBe('%PDF-');
      const requester = store.getExtendedValue(u.id, GENERATED_CODES.clientUsername);
      expect(store.getUser(Number((requester as { value: number }).value))).toBeDefined();
    }
  });

  it('builds the sandbox tenants from config/sandbox-secrets keys', () => {
    expect(SANDBOX_TENANTS.map((t) => t.tenantId)).toEqual(['acme', 'globex']);
    const key = sandboxApiKeyFor('globex');
    const globex = generateSandboxTenant('globex', { employees: 30 });
    expect(globex.findApiKey(key)).toBeDefined();
    expect(globex.idCasing).toBe('upper');
  });
});
