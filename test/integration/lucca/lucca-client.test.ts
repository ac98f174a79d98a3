import { interpretValue, listValueWrite, occurrences } from '../../../src/integrations/lucca/extended-data';
import { IntegrationError } from '../../../src/integrations/http/integration-error';
import { SlidingWindowBudget } from '../../../src/integrations/http/request-budget';
import { LuccaClient } from '../../../src/integrations/lucca/lucca-client';
import { readExtendedData } from '../../../src/integrations/lucca/lucca-user-fields';
import { GENERATED_CODES, generateLuccaTenant, LuccaSandbox, screeningStateOf, type LuccaTenantStore } from '../../../dev/simulators/lucca';
import { isExcludedFromElevo } from '../../support/excluded-from-elevo';

const KEY = '0f8fad5b-d9cb-469f-a165-70867728950e';
const BAD_KEY = '11111111-2222-4333-8444-555555555555';

describe('LuccaClient against the Lucca sandbox over HTTP', () => {
  let sandbox: LuccaSandbox;
  let big: LuccaTenantStore;
  let upper: LuccaTenantStore;

  beforeAll(async () => {
    sandbox = await LuccaSandbox.start({ requestsPerMinute: 0 });
    big = generateLuccaTenant({ tenantId: 'big', apiKey: KEY, employees: 2500, seed: 7, screeningRatio: 0.05 });
    upper = generateLuccaTenant({ tenantId: 'upper', apiKey: KEY, employees: 40, seed: 8, idCasing: 'upper' });
    sandbox.addTenant('big', big);
    sandbox.addTenant('upper', upper);
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.resetStats();
    sandbox.setFaults('*', { reset: true });
  });

  const client = (tenantId = 'big', apiKey = KEY, extra: Partial<ConstructorParameters<typeof LuccaClient>[0]> = {}) =>
    new LuccaClient({ tenantId, baseUrl: sandbox.baseUrlFor(tenantId), apiKey, retry: { initialDelayMs: 10 }, ...extra });

  it('pages across 2,500 users (with former employees) in 3 requests, each user exactly once', async () => {
    const lucca = client();
    const ids: number[] = [];
    let pages = 0;
    for await (const page of lucca.listUsers({ fields: ['id', 'firstName', 'lastName', 'managerId'], formerEmployees: true })) {
      pages++;
      expect(page.count).toBe(2500);
      ids.push(...page.items.map((u) => u.id as number));
    }
    expect(pages).toBe(3);
    expect(lucca.requestCount).toBe(3);
    expect(new Set(ids).size).toBe(2500);
    expect(sandbox.stats('big').requests).toBe(3);
  });

  it('with two pages in flight, pages 2,500 users in order in the same 3 requests, and 250 users per page in 10', async () => {
    for (const [pageSize, requests] of [
      [undefined, 3],
      [250, 10],
    ] as const) {
      sandbox.resetStats();
      const lucca = client();
      const offsets: number[] = [];
      const ids: number[] = [];
      for await (const page of lucca.listUsers({
        fields: ['id'],
        formerEmployees: true,
        pagesInFlight: 2,
        ...(pageSize ? { pageSize } : {}),
      })) {
        offsets.push(page.offset);
        ids.push(...page.items.map((u) => u.id as number));
      }
      expect(offsets).toEqual(Array.from({ length: requests }, (_, i) => i * (pageSize ?? 1000)));
      expect(ids).toEqual([...ids].sort((a, b) => a - b)); // Lucca's id order, pages not interleaved
      expect(new Set(ids).size).toBe(2500);
      expect(sandbox.stats('big').requests).toBe(requests); // nothing read past the count
    }
  });

  it('returns only current users without formerEmployees, and counts both ways', async () => {
    const lucca = client();
    const current = await lucca.countUsers();
    const all = await lucca.countUsers({ formerEmployees: true });
    expect(all).toBe(2500);
    const former = [...big.users.values()].filter((u) => big.statusOf(u) === 'former').length;
    expect(former).toBeGreaterThan(0);
    expect(current).toBe(2500 - former);
  });

  it('clamps page sizes to the 1000 maximum instead of meeting a 400', async () => {
    const lucca = client();
    const page = await lucca.listUsersPage({ fields: ['id'], pageSize: 5000 }, 0);
    expect(page.items).toHaveLength(1000); // clamped to Lucca's maximum, never a 400
  });

  it('reads each extended-data shape and resolves list entry ids to labels', async () => {
    const lucca = client();
    const withSection = [...big.users.values()].find((u) => screeningStateOf(big, u.id) === 'complete-to-order')!;
    const user = (await lucca.getUser(withSection.id, ['id', 'extendedData']))!;
    const defs = new Map((await lucca.listExtensionDefinitions()).map((d) => [d.code!, d]));

    const status = readExtendedData(user, GENERATED_CODES.orderStatus);
    expect(Array.isArray(status)).toBe(false);
    const statusValue = interpretValue(defs.get(GENERATED_CODES.orderStatus), occurrences(status)[0]!);
    expect(statusValue).toMatchObject({ kind: 'list', text: 'Dossier à commander' });
    expect(typeof statusValue.raw).toBe('number');
    expect(statusValue.valueId).toBeGreaterThan(0);

    const pkg = interpretValue(
      defs.get(GENERATED_CODES.screeningPackage),
      occurrences(readExtendedData(user, GENERATED_CODES.screeningPackage))[0]!,
    );
    expect(['Light - Consultants externes', 'Basic', 'Standard', 'Executive', 'Update', 'Update +']).toContain(pkg.text);

    const cv = interpretValue(defs.get(GENERATED_CODES.cvFile), occurrences(readExtendedData(user, GENERATED_CODES.cvFile))[0]!);
    expect(cv.kind).toBe('file');
    expect(String(cv.raw)).toMatch(/^[0-9a-f-]{36}$/);

    const clientUser = interpretValue(
      defs.get(GENERATED_CODES.clientUsername),
      occurrences(readExtendedData(user, GENERATED_CODES.clientUsername))[0]!,
    );
    expect(clientUser.kind).toBe('user');
    expect(big.getUser(Number(clientUser.raw))).toBeDefined();

    // Multiple occurrences are an array, even with one element.
    const someoneWithOthers = [...big.users.values()].find((u) => {
      const v = big.getExtendedValue(u.id, GENERATED_CODES.otherFiles);
      return Array.isArray(v) && v.length > 0;
    })!;
    const other = (await lucca.getUser(someoneWithOthers.id, ['id', `extendedData[${GENERATED_CODES.otherFiles}]`]))!;
    const files = readExtendedData(other, GENERATED_CODES.otherFiles);
    expect(Array.isArray(files)).toBe(true);
    expect(occurrences(files).length).toBeGreaterThan(0);

    // A ticked checkbox is a boolean.
    const skipped = [...big.users.values()].find((u) => isExcludedFromElevo(big, u.id))!;
    const skippedUser = (await lucca.getUser(skipped.id, ['id', 'extendedData']))!;
    expect(occurrences(readExtendedData(skippedUser, GENERATED_CODES.skipElevoSync))[0]!.value).toBe(true);
  });

  it('writes extended data back with root-level e_ keys, keeping the value id on update', async () => {
    const lucca = client();
    const target = [...big.users.values()].find((u) => screeningStateOf(big, u.id) === 'complete-to-order')!;
    const before = big.getExtendedValue(target.id, GENERATED_CODES.orderStatus) as { id: number; value: number };
    const created = big.listEntryIdByLabel(GENERATED_CODES.orderStatus, 'Dossier crée par Aequivalent');
    const after = await lucca.updateExtendedData(target.id, { [GENERATED_CODES.orderStatus]: listValueWrite(before, created) });
    const written = readExtendedData(after, GENERATED_CODES.orderStatus) as { id: number; value: number };
    expect(written).toEqual({ id: before.id, value: created });
    expect(big.getExtendedValue(target.id, GENERATED_CODES.orderStatus)).toEqual({ id: before.id, value: created });

    // Creating a value (no id) on a user without one.
    const plain = [...big.users.values()].find((u) => big.getExtendedValue(u.id, GENERATED_CODES.costCenter) === undefined)!;
    const res = await lucca.updateExtendedData(plain.id, { [GENERATED_CODES.costCenter]: { value: 'CC-42' } });
    expect(readExtendedData(res, GENERATED_CODES.costCenter)).toMatchObject({ value: 'CC-42' });

    // A wrong value id is a 400: non-retryable.
    await expect(lucca.updateExtendedData(target.id, { [GENERATED_CODES.orderStatus]: { id: 1, value: created } })).rejects.toMatchObject({
      kind: 'bad-request',
      retryable: false,
      status: 400,
    });
  });

  it('downloads an attachment as a stream with the exact bytes', async () => {
    const lucca = client();
    const owner = [...big.users.values()].find((u) => screeningStateOf(big, u.id) === 'complete-to-order')!;
    const guid = (big.getExtendedValue(owner.id, GENERATED_CODES.cvFile) as { value: string }).value;
    const file = await lucca.downloadFile(guid);
    const chunks: Buffer[] = [];
    for await (const chunk of file.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(big.getFile(guid)!.bytes)).toBe(true);
    expect(file.contentType).toContain('pdf');
  });

  it('accepts the managerID casing variant', async () => {
    const lucca = client('upper');
    const page = await lucca.listUsersPage({ fields: ['id', 'managerId', 'firstname'] }, 0);
    const withManager = page.items.filter((u) => typeof u.managerId === 'number');
    expect(withManager.length).toBeGreaterThan(0);
    expect(page.items.every((u) => typeof u.firstName === 'string')).toBe(true);
    expect(page.items.filter((u) => u.managerId === null)).toHaveLength(1); // the single root
  });

  it('fails a bad key at once with a non-retryable authentication error naming the tenant, never the key', async () => {
    const lucca = client('big', BAD_KEY);
    const err = await lucca.countUsers().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ kind: 'authentication', retryable: false, status: 401, failureType: 'LuccaAuthenticationError' });
    expect((err as Error).message).toContain('tenant "big"');
    expect((err as Error).message).not.toContain(BAD_KEY);
    expect(lucca.requestCount).toBe(1);
  });

  it('retries injected 5xx, resets and timeouts, then succeeds', async () => {
    sandbox.setFaults('big', { script: [{ kind: 'error', status: 503 }, { kind: 'reset' }, { kind: 'error', status: 500 }] });
    const lucca = client('big', KEY, { retry: { initialDelayMs: 5, maxAttempts: 4 } });
    expect(await lucca.countUsers({ formerEmployees: true })).toBe(2500);
    expect(lucca.requestCount).toBe(4);
  });

  it('gives up after its attempts with a retryable error for Temporal to retry', async () => {
    sandbox.setFaults('big', {
      script: [
        { kind: 'error', status: 502 },
        { kind: 'error', status: 502 },
      ],
    });
    const lucca = client('big', KEY, { retry: { initialDelayMs: 5, maxAttempts: 2 } });
    await expect(lucca.countUsers()).rejects.toMatchObject({ kind: 'server', retryable: true, status: 502 });
  });

  it('honours Retry-After on 429: waits when short, hands it to the caller when long', async () => {
    sandbox.setFaults('big', { script: [{ kind: 'rateLimit', retryAfterSeconds: 1 }] });
    const waited = client('big', KEY, { retry: { maxDelayMs: 5_000 } });
    const t0 = process.hrtime.bigint();
    expect(await waited.countUsers({ formerEmployees: true })).toBe(2500);
    expect(waited.requestCount).toBe(2);
    // The retry came after the server's Retry-After (a behaviour, not a performance assertion).
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeGreaterThanOrEqual(950);

    sandbox.setFaults('big', { script: [{ kind: 'rateLimit', retryAfterSeconds: 120 }] });
    const handedOver = client('big', KEY, { retry: { maxDelayMs: 5_000 } });
    await expect(handedOver.countUsers()).rejects.toMatchObject({ kind: 'rate-limited', retryable: true, retryAfterMs: 120_000 });
    expect(handedOver.requestCount).toBe(1);
  });

  it('stays within the per-domain budget instead of meeting 429s', async () => {
    sandbox.setRateLimit('big', 5);
    let clock = 0;
    const budget = new SlidingWindowBudget(5, () => clock);
    const lucca = client('big', KEY, { budget });
    for (let i = 0; i < 5; i++) await lucca.countUsers();
    const sixth = lucca.countUsers();
    let settled = false;
    void sixth.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false); // held by the budget, not sent
    expect(sandbox.stats('big').requests).toBe(5);
    sandbox.setRateLimit('big', 0);
    clock += 61_001;
    await sixth;
    expect(sandbox.stats('big').rateLimited).toBe(0);
  });
});
