import type { LuccaClient } from '../../integrations/lucca/lucca-client';
import type { CanonicalUser } from '../../integrations/lucca/lucca-user-fields';
import type { ArtifactStore } from '../../storage/artifact-store';
import { parseScreeningOrderWorkflowId, AEQUIVALENT_SCREENING_CONNECTOR } from '../../connectors/aequivalent-screening/contract';

/** Lucca accepts up to 1,000 items per page: the candidates of 1,000 orders in one request. */
export const CANDIDATES_PER_REQUEST = 1_000;
/** A snapshot older than this is ignored and the order reads Lucca itself. */
const SNAPSHOT_TTL_MS = 30 * 60_000;

interface Snapshot {
  writtenAt: number;
  user: CanonicalUser;
}

/**
 * The candidates of many orders read with one `GET /api/v3/users?id=a,b,c` per 1,000 orders, with
 * exactly the fields an order needs, instead of one GET per order. Former employees included, as a
 * direct GET would see them.
 */
export async function readCandidatesInBatches(
  lucca: LuccaClient,
  ids: number[],
  fields: string[],
  signal?: AbortSignal,
): Promise<Map<number, CanonicalUser>> {
  const found = new Map<number, CanonicalUser>();
  for (let i = 0; i < ids.length; i += CANDIDATES_PER_REQUEST) {
    const chunk = ids.slice(i, i + CANDIDATES_PER_REQUEST);
    const page = await lucca.listUsersPage(
      { fields, formerEmployees: true, filters: { id: chunk.join(',') }, pageSize: CANDIDATES_PER_REQUEST, signal },
      0,
    );
    for (const user of page.items) if (typeof user.id === 'number') found.set(user.id, user);
  }
  return found;
}

/**
 * Candidate records read by the intake, handed to each order through the (encrypted) artifact store
 * — not through workflow payloads — and deleted when the order takes it or the intake does not
 * start that order. An order without a fresh snapshot reads Lucca itself, as before.
 */
export class CandidateSnapshots {
  constructor(
    private readonly artifacts: ArtifactStore,
    private readonly now: () => number = Date.now,
  ) {}

  async put(orderWorkflowId: string, user: CanonicalUser): Promise<void> {
    await this.artifacts.putJson(keyOf(orderWorkflowId), { writtenAt: this.now(), user } satisfies Snapshot);
  }

  /** Read once: the snapshot is deleted as it is taken, and ignored when stale. */
  async take(orderWorkflowId: string): Promise<CanonicalUser | undefined> {
    const snapshot = await this.artifacts.getJson<Snapshot>(keyOf(orderWorkflowId));
    if (!snapshot) return undefined;
    await this.discard(orderWorkflowId);
    return this.now() - snapshot.writtenAt <= SNAPSHOT_TTL_MS ? snapshot.user : undefined;
  }

  async discard(orderWorkflowId: string): Promise<void> {
    await this.artifacts.remove(keyOf(orderWorkflowId));
  }
}

/** `<connector>/<tenant>/…`: the tenant's artifact key seals it, its erasure removes it. */
function keyOf(orderWorkflowId: string): string {
  const order = parseScreeningOrderWorkflowId(orderWorkflowId);
  if (!order) throw new RangeError('not a screening order workflow id');
  return `${AEQUIVALENT_SCREENING_CONNECTOR}/${order.tenantId}/candidate-snapshots/${order.luccaId}-${order.orderKey}`;
}
