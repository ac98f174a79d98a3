import type { CheckFinding, TenantCheckReport } from '../../../src/onboarding/check-finding';
import { renderTenantCheckText } from '../../../src/onboarding/render-tenant-check';
import { checkTenant } from '../../../src/onboarding/tenant-check';
import { applyLuccaPermissionFault, GENERATED_CODES, type LuccaPermissionFault } from '../../../dev/simulators/lucca';
import { startOnboardingSandbox, type OnboardingSandbox } from './onboarding-sandbox';

/** `tenants check` against the three simulators over HTTP, one permission fault at a time. */
describe('tenant check against the simulators', () => {
  let sandbox: OnboardingSandbox;
  beforeAll(async () => {
    sandbox = await startOnboardingSandbox();
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => sandbox.resetAcme());

  const check = (writeProbe = false) => checkTenant({ tenant: sandbox.tenant(), secret: sandbox.secret, writeProbe });
  const fault = (f: LuccaPermissionFault) => applyLuccaPermissionFault(sandbox.lucca.tenant('acme'), sandbox.luccaKey, f);
  const connector = (report: TenantCheckReport, name: string) => report.connectors.find((c) => c.connector === name)!;
  const problems = (report: TenantCheckReport, name: string): CheckFinding[] =>
    connector(report, name).findings.filter((f) => f.severity === 'warning' || f.severity === 'blocking');

  it('healthy tenant: both connectors can run, 5 Lucca requests, nothing written', async () => {
    const report = await check();
    expect(report.lucca.map((f) => f.code)).toEqual(['lucca.key-ok']);
    expect(problems(report, 'elevo-user-sync')).toEqual([]);
    expect(problems(report, 'aequivalent-screening')).toEqual([]);
    expect(report.canRun).toBe(true);
    const codes = report.connectors.flatMap((c) => c.findings.map((f) => f.code));
    expect(codes).toEqual(
      expect.arrayContaining([
        'lucca.former-employees-visible',
        'lucca.future-employees-visible',
        'lucca.files-ok',
        'elevo.account-ok',
        'aequivalent.account-ok',
      ]),
    );
    expect(connector(report, 'aequivalent-screening').findings.find((f) => f.code === 'lucca.write-unverified')?.detail).toMatch(
      /first order will report it/,
    );
    const stats = sandbox.lucca.stats('acme');
    expect(report.luccaRequests).toBe(stats.requests);
    expect(report.luccaRequests).toBe(5);
    expect(stats.byRoute['PUT /api/v3/users/:id']).toBeUndefined();
    expect(report.wroteToLucca).toBe(false);
  });

  it('a hidden Background check section blocks the screening connector with the read advice', async () => {
    fault({ kind: 'hidden-section', section: 'Background check' });
    const report = await check();
    expect(connector(report, 'aequivalent-screening').canRun).toBe(false);
    expect(connector(report, 'elevo-user-sync').canRun).toBe(true);
    const hidden = problems(report, 'aequivalent-screening').filter((f) => f.code === 'lucca.section-hidden');
    expect(hidden.map((f) => f.subject.split(' ')[0])).toEqual(
      expect.arrayContaining([GENERATED_CODES.orderStatus, GENERATED_CODES.clientUsername, GENERATED_CODES.screeningPackage]),
    );
    const status = hidden.find((f) => f.subject.startsWith(GENERATED_CODES.orderStatus))!;
    expect(status.severity).toBe('blocking');
    expect(status.fix).toContain('"Consulter le dossier du personnel" on the section "Background check"');
  });

  it('a hidden Elevo section blocks the Elevo sync: excluded employees would be synced', async () => {
    fault({ kind: 'hidden-section', section: 'Elevo' });
    const report = await check();
    expect(connector(report, 'elevo-user-sync').canRun).toBe(false);
    const [hidden] = problems(report, 'elevo-user-sync');
    expect(hidden).toMatchObject({ code: 'lucca.section-hidden', severity: 'blocking' });
    expect(hidden!.detail).toContain('would still be synced');
    expect(hidden!.fix).toContain('"Consulter le dossier du personnel" on the section "Elevo" ("Consulter seulement" is enough)');
    expect(connector(report, 'aequivalent-screening').canRun).toBe(true);
  });

  it('no former employees: a warning that names "See former employees"', async () => {
    fault({ kind: 'no-former-employees' });
    const report = await check();
    const [former] = problems(report, 'elevo-user-sync');
    expect(former).toMatchObject({ code: 'lucca.former-employees-hidden', severity: 'warning' });
    expect(former!.fix).toContain('"See former employees"');
    expect(report.canRun).toBe(true);
  });

  it('no future employees: both connectors warn, with "See future employees"', async () => {
    fault({ kind: 'no-future-employees' });
    const report = await check();
    for (const name of ['elevo-user-sync', 'aequivalent-screening']) {
      const [future] = problems(report, name);
      expect(future).toMatchObject({ code: 'lucca.future-employees-hidden', severity: 'warning' });
      expect(future!.fix).toContain('"See future employees"');
    }
  });

  it('a read-only section is found by the opt-in write probe, which changes no value', async () => {
    fault({ kind: 'read-only-section', section: 'Background check' });
    const store = sandbox.lucca.tenant('acme');
    const before = JSON.stringify([...store.extendedData].map(([id, v]) => [id, [...v]]));
    const withoutProbe = await check();
    expect(connector(withoutProbe, 'aequivalent-screening').canRun).toBe(true);
    const report = await check(true);
    const [readOnly] = problems(report, 'aequivalent-screening');
    expect(readOnly).toMatchObject({ code: 'lucca.section-read-only', severity: 'blocking' });
    expect(readOnly!.fix).toContain('"Modifier le dossier du personnel" on the section "Background check"');
    expect(JSON.stringify([...store.extendedData].map(([id, v]) => [id, [...v]]))).toBe(before);
  });

  it('the write probe on a healthy key re-writes one value unchanged', async () => {
    const store = sandbox.lucca.tenant('acme');
    const before = JSON.stringify([...store.extendedData].map(([id, v]) => [id, [...v]]));
    const report = await check(true);
    expect(connector(report, 'aequivalent-screening').findings.find((f) => f.code === 'lucca.write-ok')).toBeDefined();
    expect(report.wroteToLucca).toBe(true);
    expect(report.luccaRequests).toBe(6);
    expect(JSON.stringify([...store.extendedData].map(([id, v]) => [id, [...v]]))).toBe(before);
  });

  it('a missing list entry: the order-status list lacks "Dossier crée par Aequivalent"', async () => {
    fault({ kind: 'missing-list-entry', code: GENERATED_CODES.orderStatus, label: 'Dossier crée par Aequivalent' });
    const report = await check();
    expect(connector(report, 'aequivalent-screening').canRun).toBe(false);
    const [missing] = problems(report, 'aequivalent-screening');
    expect(missing).toMatchObject({ code: 'lucca.list-entry-missing', severity: 'blocking' });
    expect(missing!.detail).toBe('The list e_order_status has no entry "Dossier crée par Aequivalent".');
    expect(missing!.fix).toContain('add the entry "Dossier crée par Aequivalent"');
  });

  it('an attachment Lucca answers 404 for: a warning to confirm, not a FAIL (the download path is our inference)', async () => {
    sandbox.lucca.tenant('acme').files.clear();
    const report = await check();
    const files = connector(report, 'aequivalent-screening').findings.find((f) => f.subject.startsWith('attachments'))!;
    expect(files).toMatchObject({ code: 'lucca.files-unconfirmed', severity: 'warning' });
    expect(files.fix).toMatch(/^To confirm:/);
    expect(connector(report, 'aequivalent-screening').canRun).toBe(true);
  });

  it('a revoked Lucca key: nothing can run, one request spent', async () => {
    sandbox.lucca.tenant('acme').apiKeys.clear();
    const report = await check();
    expect(report.lucca[0]).toMatchObject({ code: 'lucca.key-refused', severity: 'blocking' });
    expect(report.canRun).toBe(false);
    expect(report.luccaRequests).toBe(1);
    expect(renderTenantCheckText(report)).toContain('CANNOT RUN');
  });

  it('a wrong Elevo token blocks the Elevo sync only', async () => {
    sandbox.elevo.addTenant('acme', 'not-the-configured-token');
    try {
      const report = await check();
      expect(problems(report, 'elevo-user-sync')).toEqual([expect.objectContaining({ code: 'elevo.token-refused', severity: 'blocking' })]);
      expect(connector(report, 'aequivalent-screening').canRun).toBe(true);
    } finally {
      sandbox.elevo.addTenant('acme', sandbox.secret(sandbox.tenant().elevo!.token));
    }
  });
});

describe('the Lucca simulator admin endpoint for permission faults (demos on npm start)', () => {
  let sandbox: OnboardingSandbox;
  beforeAll(async () => {
    sandbox = await startOnboardingSandbox();
    sandbox.resetAcme();
  });
  afterAll(() => sandbox.stop());

  it('POST /_sandbox/acme/permission-faults hides a section from the key; a bad body is a 400', async () => {
    const post = (body: unknown) =>
      fetch(`${sandbox.lucca.url}/_sandbox/acme/permission-faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ kind: 'hidden-section', section: 'Elevo' })).status).toBe(200);
    expect((await post({ kind: 'missing-list-entry', code: 'e_order_status', label: 'No such entry' })).status).toBe(400);
    expect((await post({ kind: 'nonsense' })).status).toBe(400);
    const report = await checkTenant({ tenant: sandbox.tenant(), secret: sandbox.secret });
    expect(report.connectors.find((c) => c.connector === 'elevo-user-sync')!.findings.map((f) => f.code)).toContain('lucca.section-hidden');
  });
});
