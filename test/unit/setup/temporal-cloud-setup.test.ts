import { msToTs } from '@temporalio/common/lib/time';
import { prepareDeployment } from '../../../src/setup/prepare-deployment';
import { assertReady } from '../../../src/setup/readiness-check';
import type { TemporalServices } from '../../../src/setup/temporal-services';
import { ALL_SEARCH_ATTRIBUTES } from '../../../src/shared/search-attributes';

const DAY_MS = 86_400_000;
const grpcError = (code: number, message: string) => Object.assign(new Error(message), { code, details: message, metadata: {} });

/**
 * Temporal Cloud as the SDK sees it: the namespace exists (made with tcld), the operator API and
 * namespace updates are refused, and a visibility query on an unknown attribute is INVALID_ARGUMENT.
 * (The real server's paths are tested in test/integration/production/cluster-setup.test.ts.)
 */
function cloudLike(registered: string[]): TemporalServices & { queries: string[] } {
  const queries: string[] = [];
  const refused = async () => {
    throw grpcError(7, 'Request unauthorized.');
  };
  return {
    queries,
    workflowService: {
      describeNamespace: async () => ({ config: { workflowExecutionRetentionTtl: msToTs(7 * DAY_MS) } }),
      updateNamespace: refused,
      registerNamespace: refused,
      countWorkflowExecutions: async ({ query }: { query: string }) => {
        queries.push(query);
        const name = query.split(' ')[0]!;
        if (!registered.includes(name)) throw grpcError(3, `invalid query: unknown search attribute ${name}`);
        return { count: 0 };
      },
    },
    operatorService: { listSearchAttributes: refused, addSearchAttributes: refused },
  } as unknown as TemporalServices & { queries: string[] };
}

const store = { migrate: async () => 'store postgres://db/connectors: schema up to date', schemaProblem: async () => undefined };

describe('setup and start-up checks on Temporal Cloud (operator API closed)', () => {
  it('with the search attributes made in the Cloud UI: setup says how to set the retention there, migrates the store, and the check passes', async () => {
    const services = cloudLike(ALL_SEARCH_ATTRIBUTES.map((k) => k.name));
    const lines = await prepareDeployment({ services, namespace: 'acme-prod.a1b2c', retentionDays: 30, store, storeDescription: 'unused' });
    expect(lines).toEqual([
      'namespace "acme-prod.a1b2c": present, retention 7 days — the server does not let us change it: set 30 days with tcld or the Cloud UI',
      'search attributes: LuccaTenantId, LuccaConnector, LuccaEmployeeId, LuccaRunState present',
      'store postgres://db/connectors: schema up to date',
    ]);
    await expect(
      assertReady({ services, namespace: 'acme-prod.a1b2c', address: 'acme-prod.a1b2c.tmprl.cloud:7233', store }),
    ).resolves.toBeUndefined();
    expect(services.queries).toContain("LuccaRunState = '-'");
  });

  it('without them: setup stops with the attributes to add and where, and the start-up check names them', async () => {
    const services = cloudLike(['LuccaTenantId', 'LuccaConnector']);
    await expect(
      prepareDeployment({ services, namespace: 'acme-prod.a1b2c', retentionDays: 7, store, storeDescription: 'unused' }),
    ).rejects.toThrow(
      'the server does not let us add search attributes to namespace "acme-prod.a1b2c" (Temporal Cloud: add LuccaEmployeeId (Keyword), LuccaRunState (Keyword) with tcld or the Cloud UI), then run setup again',
    );
    await expect(assertReady({ services, namespace: 'acme-prod.a1b2c', address: 'x:7233', store })).rejects.toThrow(
      'not ready: namespace "acme-prod.a1b2c" lacks the search attributes LuccaEmployeeId, LuccaRunState — run `lucca-connectors setup`',
    );
  });
});
