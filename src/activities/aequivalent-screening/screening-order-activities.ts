import { activityInfo, cancellationSignal } from '@temporalio/activity';
import { heartbeatProgress } from '../activity-heartbeats';
import type { ActivityDependencies } from '../activity-dependencies';
import type { DossierRequest } from '../../connectors/aequivalent-screening/aequivalent/schemas';
import { listValueWrite } from '../../integrations/lucca/extended-data';
import type { DossierResultName, DossierStatusName, StatusHistoryEntry } from '../../connectors/aequivalent-screening/contract';
import { prepareScreeningOrder, type PrepareOrderInput } from './prepare-screening-order';
import { CandidateSnapshots } from './screening-candidate-snapshots';
import { transferFile, type FileToTransfer } from './screening-file-transfer';
import { assertStatusStored } from './stored-status-check';
import { aequivalentClientOf } from '../../connectors/aequivalent-screening/aequivalent/client-for-tenant';

export interface DossierSnapshot {
  dossierId: string;
  status: DossierStatusName;
  result: DossierResultName | null;
  history: StatusHistoryEntry[];
  created?: boolean;
}

export function createScreeningOrderActivities(deps: ActivityDependencies) {
  // Candidate records left by the intake (read in batches); absent or stale → one GET.
  const snapshots = new CandidateSnapshots(deps.artifacts);
  const aequivalentOf = (tenantId: string) => aequivalentClientOf(deps.tenants, tenantId);

  return {
    prepareScreeningOrder: (input: PrepareOrderInput) => prepareScreeningOrder({ tenants: deps.tenants, snapshots }, input),

    /** Idempotent: a retry (or a re-run of the same order) gets the dossier created the first time. */
    async createScreeningDossier(input: { tenantId: string; request: DossierRequest; idempotencyKey: string }): Promise<DossierSnapshot> {
      const { dossier, created } = await aequivalentOf(input.tenantId).createDossier(input.request, input.idempotencyKey);
      return { ...snapshotOf(dossier), created };
    },

    /** Sets the order-status value (keeping its value id) to a list entry. */
    async writeScreeningStatus(input: { tenantId: string; luccaId: number; statusValueId: number; entryId: number }): Promise<void> {
      const code = deps.tenants.section(input.tenantId, 'aequivalent').fields.orderStatus;
      const write = listValueWrite({ id: input.statusValueId, value: null }, input.entryId);
      const after = await deps.tenants.lucca(input.tenantId).updateExtendedData(input.luccaId, { [code]: write }, cancellationSignal());
      assertStatusStored(after, code, input.entryId, input.tenantId);
    },

    /** Streams every file Lucca → Aequivalent; a retry resumes after the last file handed over. */
    async transferScreeningFiles(input: {
      tenantId: string;
      luccaId: number;
      dossierId: string;
      keyPrefix: string;
      files: FileToTransfer[];
    }): Promise<{ transferred: number }> {
      const lucca = deps.tenants.lucca(input.tenantId);
      const aequivalent = aequivalentOf(input.tenantId);
      const resumeAt = typeof activityInfo().heartbeatDetails === 'number' ? (activityInfo().heartbeatDetails as number) : 0;
      for (let i = resumeAt; i < input.files.length; i++) {
        const file = input.files[i]!;
        await transferFile({
          lucca,
          aequivalent,
          dossierId: input.dossierId,
          file,
          luccaId: input.luccaId,
          index: i,
          idempotencyKey: `${input.keyPrefix}:file:${file.fileId}`,
          signal: cancellationSignal(),
        });
        heartbeatProgress(i + 1);
      }
      return { transferred: input.files.length };
    },

    async getScreeningDossier(input: { tenantId: string; dossierId: string }): Promise<DossierSnapshot> {
      return snapshotOf(await aequivalentOf(input.tenantId).getDossier(input.dossierId));
    },

    async cancelScreeningDossier(input: { tenantId: string; dossierId: string }): Promise<DossierSnapshot> {
      return snapshotOf(await aequivalentOf(input.tenantId).cancelDossier(input.dossierId));
    },
  };
}

/** Only ids, statuses and dates: the dossier's candidate data stays out of workflow history. */
function snapshotOf(dossier: {
  id: string;
  status: DossierStatusName;
  result: DossierResultName | null;
  statusHistory: Array<{ status: DossierStatusName; at: string }>;
}): DossierSnapshot {
  return {
    dossierId: dossier.id,
    status: dossier.status,
    result: dossier.result,
    history: dossier.statusHistory.map((h) => ({ status: h.status, at: h.at, source: 'poll' as const })),
  };
}
