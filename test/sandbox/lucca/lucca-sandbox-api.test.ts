import { generateLuccaTenant, GENERATED_CODES, LuccaSandbox, LuccaTenantStore, ORDER_STATUSES } from '../../../dev/simulators/lucca';
import { tinyPdf } from '../../../dev/simulators/simulator-kit/tiny-pdf';
import { call } from './lucca-test-client';

const KEY = 'bd6d5481-40eb-414b-9135-434e12749223';
const READ_ONLY_KEY = '11111111-2222-4333-8444-555555555555';
const NO_FORMER_KEY = '66666666-7777-4888-9999-000000000000';
const TODAY = '2026-11-20';

/** A small hand-made tenant with one user per extended-data shape. */
function handMadeTenant(): LuccaTenantStore {
  const store = new LuccaTenantStore({ now: () => new Date(`${TODAY}T10:00:00Z`) });
  store.addApiKey(KEY, 'Integration key');
  store.addApiKey(READ_ONLY_KEY, 'Read only', { writableSections: [], readableSections: ['e_cost_center'] });
  store.addApiKey(NO_FORMER_KEY, 'No former', { formerEmployees: false, futureEmployees: false });
  store.addDepartment('Finance', 14);
  store.addLegalEntity('Acme SAS', 1);
  store.addDefinition({ code: 'e_cost_center', name: 'Centre de coûts', formatKey: 'text' });
  store.addDefinition({ code: 'e_skip_elevo_sync', name: 'Exclure', formatKey: 'boolean' });
  store.addDefinition({
    code: 'e_order_status',
    name: 'Statut',
    formatKey: 'list',
    entries: ['Dossier à commander', 'Dossier crée par Aequivalent'],
  });
  store.addDefinition({ code: 'e_candidate_cv_file', name: 'CV', formatKey: 'file' });
  store.addDefinition({ code: 'e_candidate_other_files', name: 'Autres', formatKey: 'file', isMultiple: true });
  store.addDefinition({ code: 'e_client_username', name: 'Demandeur', formatKey: 'user' });
  store.addUser({
    id: 383,
    firstName: 'Roger',
    lastName: 'Smith',
    departmentId: 14,
    legalEntityId: 1,
    dtContractStart: '2010-01-01',
    employeeNumber: '00001',
  });
  store.addUser({
    id: 416,
    firstName: 'Éloïse',
    lastName: 'Lefèvre',
    managerId: 383,
    departmentId: 14,
    legalEntityId: 1,
    dtContractStart: '2014-09-01',
    employeeNumber: '00057',
    mail: 'eloise.lefevre@acme.example.fr',
  });
  store.addUser({
    id: 417,
    firstName: 'Jane',
    lastName: 'Roe',
    managerId: 383,
    dtContractStart: '2016-01-04',
    dtContractEnd: '2024-06-30',
  });
  store.addUser({ id: 418, firstName: 'Zoé', lastName: 'Nguyen', managerId: 383, dtContractStart: '2027-01-04' });
  return store;
}

describe('Lucca sandbox v3 API', () => {
  let sandbox: LuccaSandbox;
  let base: string;
  let big: string;
  let store: LuccaTenantStore;

  beforeAll(async () => {
    sandbox = await LuccaSandbox.start({ requestsPerMinute: 0, now: () => new Date(`${TODAY}T10:00:00Z`) });
    store = handMadeTenant();
    sandbox.addTenant('hand', store);
    sandbox.addTenant('big', generateLuccaTenant({ tenantId: 'big', apiKey: KEY, employees: 2500, seed: 7, today: TODAY }));
    base = sandbox.baseUrlFor('hand');
    big = sandbox.baseUrlFor('big');
  });
  afterAll(() => sandbox.stop());

  describe('authentication', () => {
    it('answers 401 without a key, with an unknown key, or with a non-GUID key', async () => {
      expect((await call(`${base}/api/v3/users`)).status).toBe(401);
      expect((await call(`${base}/api/v3/users`, { key: 'a1b2c3d4-0000-4000-8000-000000000000' })).status).toBe(401);
      const notGuid = await call(`${base}/api/v3/users`, { key: 'not-a-guid' });
      expect(notGuid.status).toBe(401);
      expect(JSON.stringify(notGuid.json)).not.toContain('not-a-guid');
    });

    it('accepts the scheme in any case', async () => {
      expect((await call(`${base}/api/v3/users`, { key: KEY, scheme: 'Lucca' })).status).toBe(200);
      expect((await call(`${base}/api/v3/users`, { key: KEY.toUpperCase(), scheme: 'LUCCA' })).status).toBe(200);
    });

    it('answers 404 for an unknown route or tenant', async () => {
      expect((await call(`${base}/api/v3/nothing`, { key: KEY })).status).toBe(404);
      expect((await call(`${sandbox.url}/nobody/api/v3/users`, { key: KEY })).status).toBe(404);
    });
  });

  describe('GET /api/v3/users', () => {
    it('returns only id, name, url without fields, in the envelope', async () => {
      const res = await call(`${base}/api/v3/users`, { key: KEY });
      expect(res.status).toBe(200);
      expect(res.json.header).toEqual({
        generated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/),
        principal: 'Integration key',
      });
      expect(res.json.data.count).toBeUndefined();
      for (const item of res.json.data.items) expect(Object.keys(item).sort()).toEqual(['id', 'name', 'url']);
      expect(res.json.data.items[0]).toEqual({ id: 383, name: 'Roger Smith', url: `${base}/api/v3/users/383` });
    });

    it('selects fields case-insensitively, with nested brackets and dot paths, naive dates and doc casing', async () => {
      const res = await call(
        `${base}/api/v3/users/416?fields=id,firstname,DTCONTRACTSTART,managerId,departmentId,legalEntityId,cultureId,manager[id,name],department.name,dtContractEnd`,
        { key: KEY },
      );
      expect(res.json.data).toEqual({
        id: 416,
        firstName: 'Éloïse',
        dtContractStart: '2014-09-01T00:00:00',
        managerId: 383,
        departmentId: 14,
        legalEntityId: 1,
        cultureID: 1036,
        manager: { id: 383, name: 'Roger Smith' },
        department: { name: 'Finance' },
        dtContractEnd: null,
      });
    });

    it('emits managerID/departmentID/legalEntityID when the tenant uses the upper casing', async () => {
      store.idCasing = 'upper';
      try {
        const res = await call(`${base}/api/v3/users/416?fields=managerId,departmentID,legalentityid`, { key: KEY });
        expect(res.json.data).toEqual({ managerID: 383, departmentID: 14, legalEntityID: 1 });
      } finally {
        store.idCasing = 'doc';
      }
    });

    it('rejects paging limits outside 1..1000 and unknown fields with 400', async () => {
      const res = await call(`${big}/api/v3/users?paging=0,1001`, { key: KEY });
      expect(res.status).toBe(400);
      expect(res.json.Message).toBe('Paging limit should be between 1 and 1000');
      expect((await call(`${big}/api/v3/users?paging=0,0`, { key: KEY })).status).toBe(400);
      expect((await call(`${base}/api/v3/users?fields=id,nope`, { key: KEY })).status).toBe(400);
      expect((await call(`${base}/api/v3/users?orderBy=nope,asc`, { key: KEY })).status).toBe(400);
    });

    it('pages through 2,500 users returning each one exactly once, count matching', async () => {
      const seen = new Set<number>();
      let count = -1;
      for (let offset = 0; ; offset += 1000) {
        const res = await call(`${big}/api/v3/users?fields=id,collection.count&formerEmployees=true&orderBy=id,asc&paging=${offset},1000`, {
          key: KEY,
        });
        expect(res.status).toBe(200);
        count = res.json.data.count;
        for (const item of res.json.data.items) {
          expect(seen.has(item.id)).toBe(false);
          seen.add(item.id);
        }
        if (res.json.data.items.length < 1000) break;
      }
      expect(count).toBe(2500);
      expect(seen.size).toBe(2500);
    });

    it('defaults to a 0,1000 page when paging is absent', async () => {
      const res = await call(`${big}/api/v3/users?fields=id`, { key: KEY });
      expect(res.json.data.items).toHaveLength(1000);
    });

    it('returns only the count with fields=collection.count alone', async () => {
      const res = await call(`${base}/api/v3/users?fields=collection.count`, { key: KEY });
      expect(res.json.data).toEqual({ count: 3 });
    });

    it('includes former employees only with formerEmployees=true and the permission; future hires only with permission', async () => {
      const ids = async (query: string, key: string) =>
        ((await call(`${base}/api/v3/users?fields=id${query}`, { key })).json.data.items as Array<{ id: number }>).map((u) => u.id);
      expect(await ids('', KEY)).toEqual([383, 416, 418]);
      expect(await ids('&formerEmployees=true', KEY)).toEqual([383, 416, 417, 418]);
      expect(await ids('&formerEmployees=true', NO_FORMER_KEY)).toEqual([383, 416]);
      expect((await call(`${base}/api/v3/users/417`, { key: NO_FORMER_KEY })).status).toBe(404);
      expect((await call(`${base}/api/v3/users/417`, { key: KEY })).status).toBe(200);
    });

    it('filters by id, employeeNumber and modifiedAt, orders desc', async () => {
      const ids = async (query: string) =>
        ((await call(`${base}/api/v3/users?fields=id&${query}`, { key: KEY })).json.data.items as Array<{ id: number }>).map((u) => u.id);
      expect(await ids('id=416,383')).toEqual([383, 416]);
      expect(await ids('employeeNumber=00057')).toEqual([416]);
      expect(await ids('orderBy=id,desc')).toEqual([418, 416, 383]);
      expect(await ids('modifiedAt=since,2099-01-01')).toEqual([]);
      expect(await ids('modifiedAt=since,2026-11-20T00:00:00')).toEqual([383, 416, 418]);
    });
  });

  describe('extended data', () => {
    let cv: string;
    let annex1: string;
    let annex2: string;
    let toOrder: number;

    beforeAll(() => {
      cv = store.addFile(tinyPdf('cv 416'), 'cv-416.pdf', 'application/pdf');
      annex1 = store.addFile(tinyPdf('annex 1'), 'pièce-1.pdf', 'application/pdf');
      annex2 = store.addFile(tinyPdf('annex 2'), 'piece-2.pdf', 'application/pdf');
      toOrder = store.listEntryIdByLabel('e_order_status', 'Dossier à commander');
      store.setExtendedValue(416, 'e_cost_center', 'CC-FIN-101');
      store.setExtendedValue(416, 'e_skip_elevo_sync', true);
      store.setExtendedValue(416, 'e_order_status', 'Dossier à commander');
      store.setExtendedValue(416, 'e_candidate_cv_file', cv);
      store.setExtendedValue(416, 'e_candidate_other_files', [annex1, annex2]);
      store.setExtendedValue(416, 'e_client_username', 383);
    });

    it('reads every shape as {id, value}, arrays for multiple occurrences', async () => {
      const res = await call(`${base}/api/v3/users/416?fields=id,extendedData`, { key: KEY });
      const ext = res.json.data.extendedData;
      expect(ext.e_cost_center).toEqual({ id: expect.any(Number), value: 'CC-FIN-101' });
      expect(ext.e_skip_elevo_sync).toEqual({ id: expect.any(Number), value: true });
      expect(ext.e_order_status).toEqual({ id: expect.any(Number), value: toOrder });
      expect(ext.e_candidate_cv_file).toEqual({ id: expect.any(Number), value: cv });
      expect(ext.e_candidate_other_files).toEqual([
        { id: expect.any(Number), value: annex1 },
        { id: expect.any(Number), value: annex2 },
      ]);
      expect(ext.e_client_username).toEqual({ id: expect.any(Number), value: 383 });
    });

    it('selects codes with brackets or dots, empty selected codes as null / []', async () => {
      const res = await call(
        `${base}/api/v3/users?fields=id,extendedData[e_order_status,e_candidate_other_files],extendedData.e_cost_center&id=383,416`,
        { key: KEY },
      );
      const [roger, eloise] = res.json.data.items;
      expect(roger.extendedData).toEqual({ e_order_status: null, e_candidate_other_files: [], e_cost_center: null });
      expect(Object.keys(eloise.extendedData).sort()).toEqual(['e_candidate_other_files', 'e_cost_center', 'e_order_status']);
    });

    it('silently omits sections the key cannot read', async () => {
      const res = await call(`${base}/api/v3/users/416?fields=extendedData`, { key: READ_ONLY_KEY });
      expect(Object.keys(res.json.data.extendedData)).toEqual(['e_cost_center']);
    });

    it('serves extension definitions with list entries', async () => {
      const one = await call(`${base}/api/v3/extensionuserdefinitions/e_order_status`, { key: KEY });
      expect(one.json.data).toEqual({
        id: expect.any(Number),
        code: 'e_order_status',
        name: 'Statut',
        // Documented: lists are `select`, or `radio` when they have two values.
        formatKey: 'radio',
        isMultiple: false,
        extensionUserPropertyListEntries: [
          { id: toOrder, name: 'Dossier à commander', translation: expect.any(String) },
          { id: expect.any(Number), name: 'Dossier crée par Aequivalent', translation: expect.any(String) },
        ],
      });
      const all = await call(`${base}/api/v3/extensionuserdefinitions`, { key: KEY });
      expect(all.json.data.items.map((d: { code: string }) => d.code)).toContain('e_candidate_other_files');
      expect((await call(`${base}/api/v3/extensionuserdefinitions/e_unknown`, { key: KEY })).status).toBe(404);
    });

    it('creates, updates and deletes values with PUT, root-level e_ keys', async () => {
      const created = store.listEntryIdByLabel('e_order_status', 'Dossier crée par Aequivalent');
      const before = store.getUser(383)!.modifiedAt;
      // create
      let res = await call(`${base}/api/v3/users/383?fields=id,extendedData[e_order_status]`, {
        method: 'PUT',
        key: KEY,
        body: { e_order_status: { value: toOrder } },
      });
      expect(res.status).toBe(200);
      const valueId = res.json.data.extendedData.e_order_status.id;
      expect(res.json.data).toEqual({ id: 383, extendedData: { e_order_status: { id: valueId, value: toOrder } } });
      // update keeps the value id
      res = await call(`${base}/api/v3/users/383?fields=id,extendedData[e_order_status]`, {
        method: 'PUT',
        key: KEY,
        body: { e_order_status: { id: valueId, value: created } },
      });
      expect(res.json.data.extendedData.e_order_status).toEqual({ id: valueId, value: created });
      // wrong value id
      res = await call(`${base}/api/v3/users/383`, {
        method: 'PUT',
        key: KEY,
        body: { e_order_status: { id: valueId + 999, value: toOrder } },
      });
      expect(res.status).toBe(400);
      // invalid list entry
      res = await call(`${base}/api/v3/users/383`, { method: 'PUT', key: KEY, body: { e_order_status: { id: valueId, value: 1 } } });
      expect(res.status).toBe(400);
      // unknown code
      expect((await call(`${base}/api/v3/users/383`, { method: 'PUT', key: KEY, body: { e_nope: { value: 'x' } } })).status).toBe(400);
      // delete
      res = await call(`${base}/api/v3/users/383?fields=extendedData[e_order_status]`, {
        method: 'PUT',
        key: KEY,
        body: { e_order_status: { id: valueId, value: null } },
      });
      expect(res.json.data.extendedData.e_order_status).toBeNull();
      expect(store.getExtendedValue(383, 'e_order_status')).toBeUndefined();
      expect(store.getUser(383)!.modifiedAt >= before).toBe(true);
    });

    it('writes multiple occurrences as the full array', async () => {
      const current = store.getExtendedValue(416, 'e_candidate_other_files') as Array<{ id: number; value: string }>;
      const extra = store.addFile(tinyPdf('annex 3'), 'piece-3.pdf', 'application/pdf');
      const res = await call(`${base}/api/v3/users/416?fields=extendedData[e_candidate_other_files]`, {
        method: 'PUT',
        key: KEY,
        body: { e_candidate_other_files: [{ id: current[0]!.id, value: current[0]!.value }, { value: extra }] },
      });
      expect(res.status).toBe(200);
      expect(res.json.data.extendedData.e_candidate_other_files).toEqual([
        { id: current[0]!.id, value: current[0]!.value },
        { id: expect.any(Number), value: extra },
      ]);
    });

    it('ignores writes through an extendedData object, refuses sections without edit right (403), unknown users (404)', async () => {
      const before = store.getExtendedValue(416, 'e_cost_center');
      let res = await call(`${base}/api/v3/users/416`, {
        method: 'PUT',
        key: KEY,
        body: { extendedData: { e_cost_center: { value: 'CC-X' } } },
      });
      expect(res.status).toBe(200);
      expect(store.getExtendedValue(416, 'e_cost_center')).toEqual(before);
      res = await call(`${base}/api/v3/users/416`, { method: 'PUT', key: READ_ONLY_KEY, body: { e_cost_center: { value: 'CC-X' } } });
      expect(res.status).toBe(403);
      expect(store.getExtendedValue(416, 'e_cost_center')).toEqual(before);
      expect((await call(`${base}/api/v3/users/999999`, { method: 'PUT', key: KEY, body: {} })).status).toBe(404);
    });

    it('answers 413 for a body over 1 MB', async () => {
      const res = await call(`${base}/api/v3/users/416`, { method: 'PUT', key: KEY, rawBody: Buffer.alloc(1024 * 1024 + 10, 0x20) });
      expect(res.status).toBe(413);
    });

    it('downloads attachment bytes with content type and file name', async () => {
      const res = await call(`${base}/api/v3/files/${cv}`, { key: KEY });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(String(res.headers['content-disposition'])).toContain('cv-416.pdf');
      expect(res.bytes.equals(store.getFile(cv)!.bytes)).toBe(true);
      expect(res.bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect((await call(`${base}/api/v3/files/00000000-0000-4000-8000-000000000000`, { key: KEY })).status).toBe(404);
    });

    it('deleted users vanish (404 and absent from lists)', async () => {
      store.addUser({ id: 500, firstName: 'Temp', lastName: 'User', dtContractStart: '2020-01-01' });
      expect((await call(`${base}/api/v3/users/500`, { key: KEY })).status).toBe(200);
      store.deleteUser(500);
      expect((await call(`${base}/api/v3/users/500`, { key: KEY })).status).toBe(404);
      const list = await call(`${base}/api/v3/users?fields=id&formerEmployees=true`, { key: KEY });
      expect(list.json.data.items.map((u: { id: number }) => u.id)).not.toContain(500);
    });
  });

  it('reads the generated Background check section through the API', async () => {
    const gen = sandbox.tenant('big');
    const toOrder = gen.listEntryIdByLabel(GENERATED_CODES.orderStatus, ORDER_STATUSES.toOrder);
    const res = await call(`${big}/api/v3/users?fields=id,extendedData[e_order_status,e_candidate_cv_file]&paging=0,1000`, { key: KEY });
    const ordered = res.json.data.items.filter((u: any) => u.extendedData.e_order_status?.value === toOrder);
    expect(ordered.length).toBeGreaterThan(0);
  });
});
