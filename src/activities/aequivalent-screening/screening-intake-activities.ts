import { cancellationSignal, getClient } from '@temporalio/activity';
import { heartbeatProgress } from '../activity-heartbeats';
import { countRequests } from '../../integrations/http/json-http-client';
import type { ActivityDependencies } from '../activity-dependencies';
import { screeningOrderWorkflowId, type IntakeSkip, type OrderCandidate } from '../../connectors/aequivalent-screening/contract';
import { isFormerInLucca } from '../../domain/lucca-employment';
import { candidateFieldSelection, entryIdForLabel, orderStatusOf } from './screening-lucca-reader';
import { CandidateSnapshots, readCandidatesInBatches } from './screening-candidate-snapshots';
import { PermanentError } from '../../shared/permanent-error';
import { cachedExtensionDefinition } from '../../integrations/lucca/definition-cache';
import { startScreeningOrders } from './screening-order-starts';
import { todayIn } from '../tenant-clock';

/** Where the last intake pass leaves how many employees it scanned (a count, no personal data). */
export const intakePopulationKey = (tenantId: string) => `aequivalent-screening/${tenantId}/intake-population`;

export interface FoundCandidates {
  candidates: OrderCandidate[];
  /** Asking for an order, but former employees in Lucca: reported, never ordered. */
  skipped: IntakeSkip[];
  scanned: number;
  luccaRequests: number;
}

export function createScreeningIntakeActivities(deps: ActivityDependencies) {
  // Where the intake leaves each order's candidate record (read in batches), so orders need not read Lucca one by one.
  const snapshots = new CandidateSnapshots(deps.artifacts);
  return {
    /**
     * Employees whose order status is "to order": 1 definition request + 1 list request per 1000
     * employees (former ones included), reading only `id`, the contract end and the order-status
     * code. Former employees (Lucca's own rule) are returned as skipped, not ordered. Ids only.
     */
    async findScreeningOrderCandidates(input: { tenantId: string }): Promise<FoundCandidates> {
      const { result, requests } = await countRequests(async () => {
        const found = await scanOrderStatuses(deps, input.tenantId);
        if (found.candidates.length > 0) await snapshotCandidates(deps, snapshots, input.tenantId, found.candidates);
        return found;
      });
      // The change feed budgets its polls around the intake's cost (src/domain/freshness/idle-request-budget.ts).
      await deps.artifacts.putJson(intakePopulationKey(input.tenantId), { scanned: result.scanned }).catch(() => undefined);
      return { ...result, luccaRequests: requests };
    },
    startScreeningOrders: (input: { tenantId: string; candidates: OrderCandidate[] }) =>
      startScreeningOrders({ client: getClient(), tenants: deps.tenants, snapshots }, input),
  };
}

/** One pass over every employee (former ones included), reading only the order-status code. */
async function scanOrderStatuses(deps: ActivityDependencies, tenantId: string): Promise<Omit<FoundCandidates, 'luccaRequests'>> {
  const config = deps.tenants.section(tenantId, 'aequivalent');
  const today = todayIn(deps.tenants.tenant(tenantId).timeZone, (deps.now ?? (() => new Date()))());
  const lucca = deps.tenants.lucca(tenantId);
  const code = config.fields.orderStatus;
  // The run's one definitions read: fresh for the intake, reused by the orders it starts.
  const definition = await cachedExtensionDefinition(lucca, code, { refresh: true, signal: cancellationSignal() });
  if (!definition)
    throw new PermanentError(
      `tenant "${tenantId}": Lucca has no definition for ${code} (or the key cannot see it)`,
      'ScreeningStatusLabelMissing',
    );
  const toOrder = entryIdForLabel(definition, config.statusLabels.toOrder);
  if (toOrder === undefined)
    throw new PermanentError(
      `tenant "${tenantId}": ${code} has no entry matching the configured "to order" label`,
      'ScreeningStatusLabelMissing',
    );

  const found: Omit<FoundCandidates, 'luccaRequests'> = { candidates: [], skipped: [], scanned: 0 };
  const fields = ['id', 'dtContractEnd', `extendedData[${code}]`];
  for await (const page of lucca.listUsers({ fields, formerEmployees: true, signal: cancellationSignal() })) {
    for (const user of page.items) {
      found.scanned += 1;
      const status = orderStatusOf(user, code);
      if (typeof user.id !== 'number' || status.entryId !== toOrder || status.valueId === null) continue;
      if (isFormerInLucca(user.dtContractEnd, today)) found.skipped.push({ luccaId: user.id, reason: 'employee-left' });
      else found.candidates.push({ luccaId: user.id, statusValueId: String(status.valueId) });
    }
    heartbeatProgress({ scanned: found.scanned, total: page.count });
  }
  return found;
}

/** One request per 1,000 orders instead of one per order: each order then only writes back. */
async function snapshotCandidates(
  deps: ActivityDependencies,
  snapshots: CandidateSnapshots,
  tenantId: string,
  candidates: OrderCandidate[],
): Promise<void> {
  const config = deps.tenants.section(tenantId, 'aequivalent');
  const users = await readCandidatesInBatches(
    deps.tenants.lucca(tenantId),
    candidates.map((c) => c.luccaId),
    candidateFieldSelection(config.fields),
    cancellationSignal(),
  );
  for (const c of candidates) {
    const user = users.get(c.luccaId);
    if (user) await snapshots.put(screeningOrderWorkflowId(tenantId, c.luccaId, c.statusValueId), user);
  }
}
