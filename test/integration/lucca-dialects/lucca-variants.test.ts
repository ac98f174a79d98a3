import { MockActivityEnvironment } from '@temporalio/testing';
import { readLuccaPopulation } from '../../../src/activities/elevo-user-sync/elevo-lucca-population';
import type { ActivityDependencies } from '../../../src/activities/activity-dependencies';
import { createScreeningOrderActivities } from '../../../src/activities/aequivalent-screening/screening-order-activities';
import { assertStatusStored } from '../../../src/activities/aequivalent-screening/stored-status-check';
import type { SourceEmployee } from '../../../src/connectors/elevo-user-sync/domain/sync-model';
import { isFormerInLucca } from '../../../src/domain/lucca-employment';
import { IntegrationError } from '../../../src/integrations/http/integration-error';
import { LuccaClient } from '../../../src/integrations/lucca/lucca-client';
import type { TenantCheckReport } from '../../../src/onboarding/check-finding';
import { checkTenant } from '../../../src/onboarding/tenant-check';
import { applyLuccaPermissionFault, GENERATED_CODES, LUCCA_VARIANTS, type LuccaTenantStore } from '../../../dev/simulators/lucca';
import { PermanentError } from '../../../src/shared/permanent-error';
import { isExcludedFromElevo } from '../../support/excluded-from-elevo';
import { startOnboardingSandbox, type OnboardingSandbox } from '../onboarding/onboarding-sandbox';

const T = 'acme';
const TODAY = '2026-11-20';

/**
 * The Lucca assumptions our connectors handle point by point (docs/external-apis.md L9, L11, L20,
 * L22, L23, L24): the simulator answers the other way (LUCCA_VARIANTS) and each test shows what the
 * product then does, over HTTP against the simulators.
 */
describe('Lucca variants: what the product does where an assumption is false', () => {
  let sandbox: OnboardingSandbox;
  beforeAll(async () => {
    sandbox = await startOnboardingSandbox();
  });
  afterAll(() => sandbox.stop());

  /** A fresh acme tenant answering in `variant` (undefined: the documented dialect). */
  function tenantIn(variant?: keyof typeof LUCCA_VARIANTS): LuccaTenantStore {
    sandbox.resetAcme();
    const store = sandbox.lucca.tenant(T);
    if (variant) store.dialect = LUCCA_VARIANTS[variant]!;
    return store;
  }
  const client = () =>
    new LuccaClient({
      tenantId: T,
      baseUrl: sandbox.lucca.baseUrlFor(T),
      apiKey: sandbox.luccaKey,
      retry: { initialDelayMs: 10, maxAttempts: 1 },
    });
  const mapping = () => ({
    exclusionFieldCode: sandbox.tenant().elevo!.exclusion.fieldCode,
    extraFields: sandbox.tenant().elevo!.extraFields ?? {},
  });
  const population = (): Promise<SourceEmployee[]> => new MockActivityEnvironment().run(() => readLuccaPopulation(client(), mapping(), T));
  /** The order's `writeScreeningStatus` activity, wired to this tenant's client. */
  const writeStatus = (luccaId: number, statusValueId: number, entryId: number) => {
    const deps = {
      tenants: { section: () => sandbox.tenant().aequivalent!, lucca: () => client() },
      artifacts: {},
    } as unknown as ActivityDependencies;
    return new MockActivityEnvironment().run(() =>
      createScreeningOrderActivities(deps).writeScreeningStatus({ tenantId: T, luccaId, statusValueId, entryId }),
    );
  };
  const check = (writeProbe = false) => checkTenant({ tenant: sandbox.tenant(), secret: sandbox.secret, writeProbe });
  const problems = (report: TenantCheckReport) =>
    report.connectors
      .flatMap((c) => c.findings)
      .filter((f) => f.severity === 'warning' || f.severity === 'blocking')
      .map((f) => `${f.code}:${f.severity}`)
      .sort();

  /** Every employee read with the store's contract days and exclusion box. */
  function expectFaithful(read: SourceEmployee[], store: LuccaTenantStore): void {
    expect(read).toHaveLength(store.users.size);
    for (const e of read) {
      const u = store.getUser(e.luccaId)!;
      expect({ id: e.luccaId, start: e.contractStart, end: e.contractEnd, excluded: e.excluded }).toEqual({
        id: u.id,
        start: u.dtContractStart,
        end: u.dtContractEnd,
        excluded: isExcludedFromElevo(store, u.id),
      });
    }
    expect(read.some((e) => e.excluded)).toBe(true);
  }

  it('documented dialect (control): the Elevo population is read faithfully and the check has no finding to confirm', async () => {
    const store = tenantIn();
    expectFaithful(await population(), store);
    expect(problems(await check())).toEqual([]);
  });

  it('L9 dates as UTC instants: every contract day is read as its Paris day, the former/future split unchanged', async () => {
    const store = tenantIn('utc-dates');
    const raw = (await client().listUsersPage({ fields: ['id', 'dtContractStart', 'dtContractEnd'], formerEmployees: true }, 0)).items;
    // The variant bites: the wire value's first ten characters are the day before for every employee.
    const wire = raw.find((u) => typeof u.dtContractStart === 'string')!;
    expect(String(wire.dtContractStart)).toMatch(/T2[23]:00:00Z$/);
    expect(String(wire.dtContractStart).slice(0, 10)).not.toBe(store.getUser(wire.id as number)!.dtContractStart);
    expectFaithful(await population(), store);
    for (const u of raw)
      expect(isFormerInLucca(u.dtContractEnd, TODAY)).toBe(store.statusOf(store.getUser(u.id as number)!, TODAY) === 'former');
  });

  it('L11 `extendedData[e_a,e_b]` ignored (every readable code returned): the Elevo population and the check are unchanged', async () => {
    const store = tenantIn('selection-ignored');
    const one = (
      await client().listUsersPage({ fields: ['id', `extendedData[${GENERATED_CODES.skipElevoSync}]`], formerEmployees: true }, 0)
    ).items;
    expect(one.some((u) => Object.keys((u.extendedData as object) ?? {}).some((c) => c !== GENERATED_CODES.skipElevoSync))).toBe(true); // the variant bites
    expectFaithful(await population(), store);
    expect(problems(await check())).toEqual(problems(await (tenantIn(), check())));
  });

  it('L20 `isMultivalue` instead of `isMultiple`: read as the same flag, no format warning', async () => {
    tenantIn('is-multivalue');
    const defs = await client().listExtensionDefinitions();
    expect(defs.find((d) => d.code === GENERATED_CODES.otherFiles)).toMatchObject({ isMultivalue: true, isMultiple: true });
    expect(defs.find((d) => d.code === GENERATED_CODES.cvFile)).toMatchObject({ isMultiple: false });
    expect(problems(await check())).toEqual([]);
  });

  it('L22 a write without the right answered 200 and ignored: the write-back sees the old value and fails as a refused right', async () => {
    const store = tenantIn('write-ignored');
    applyLuccaPermissionFault(store, sandbox.luccaKey, { kind: 'read-only-section', section: 'Background check' });
    const code = GENERATED_CODES.orderStatus;
    const def = store.definition(code)!;
    const userId = [...store.users.keys()].find(
      (id) => (store.getExtendedValue(id, code) as { value?: unknown } | undefined)?.value !== undefined,
    )!;
    const before = store.getExtendedValue(userId, code) as { id: number; value: number };
    const other = def.entries.find((e) => e.id !== before.value)!.id;
    const after = await client().updateExtendedData(userId, { [code]: { id: before.id, value: other } }); // no 403
    expect(store.getExtendedValue(userId, code)).toEqual(before);
    expect(() => assertStatusStored(after, code, other, T)).toThrow(IntegrationError);
    // The order's write-back activity itself: fails as a refused right (retried, "blocked: LuccaPermissionError").
    const err = await writeStatus(userId, before.id, other).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect((err as IntegrationError).failureType).toBe('LuccaPermissionError');
    // The opt-in write probe re-writes an unchanged value: it cannot tell, and says so rather than claim more.
    const probe = (await check(true)).connectors.flatMap((c) => c.findings).find((f) => f.code === 'lucca.write-ok')!;
    expect(probe.detail).toMatch(/cannot prove it was stored/);
  });

  it('L22 control: with the right, the value Lucca answers is the one written', async () => {
    const store = tenantIn('write-ignored');
    const code = GENERATED_CODES.orderStatus;
    const userId = [...store.users.keys()].find(
      (id) => (store.getExtendedValue(id, code) as { value?: unknown } | undefined)?.value !== undefined,
    )!;
    const before = store.getExtendedValue(userId, code) as { id: number; value: number };
    const other = store.definition(code)!.entries.find((e) => e.id !== before.value)!.id;
    await writeStatus(userId, before.id, other);
    expect(store.getExtendedValue(userId, code)).toMatchObject({ id: before.id, value: other });
  });

  it.each(['checkbox-strings', 'checkbox-numbers'] as const)(
    'L23 %s: the exclusion box is read as ticked/unticked correctly',
    async (variant) => {
      const store = tenantIn(variant);
      expectFaithful(await population(), store);
    },
  );

  it('L23 checkbox labels ("Oui"/"Non"): the Elevo sync refuses with a clear reason instead of reading "not excluded"', async () => {
    tenantIn('checkbox-labels');
    const err = await population().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).message).toMatch(/not a checkbox value/);
    expect((err as PermanentError).message).not.toMatch(/Oui|Non/);
    expect((err as PermanentError).failureType).toBe('ExclusionValueUnreadable');
  });

  it('L24 attachments served elsewhere than /api/v3/files: the check warns to confirm (never "fine"), the download fails as not found', async () => {
    const store = tenantIn('files-elsewhere');
    const report = await check();
    expect(problems(report)).toContain('lucca.files-unconfirmed:warning');
    const guid = [...store.users.keys()]
      .map((id) => store.getExtendedValue(id, GENERATED_CODES.cvFile) as { value?: unknown } | undefined)
      .find((v) => typeof v?.value === 'string')!.value as string;
    const err = await client()
      .downloadFile(guid)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect((err as IntegrationError).kind).toBe('not-found');
  });
});
