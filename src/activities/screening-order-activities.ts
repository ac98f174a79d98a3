import { activityInfo, cancellationSignal, heartbeat } from '@temporalio/activity';
import type { AequivalentConnectorConfig } from '../config/config-schema';
import type { TenantDirectory } from '../config/tenant-directory';
import { DEFAULT_SCREENING_LABELS, validateScreeningOrder } from '../domain/screening';
import type { DossierRequest } from '../integrations/aequivalent/aequivalent-schemas';
import { listValueWrite } from '../integrations/lucca/extended-data';
import type {
  DossierResultName,
  DossierStatusName,
  OrderProblem,
  StatusHistoryEntry,
} from '../shared/screening-order-contract';
import { transferFile, type FileToTransfer } from './screening-file-transfer';
import { CandidateSnapshots } from './screening-candidate-snapshots';
import type { ArtifactStore } from '../storage/artifact-store';
import { candidateFieldSelection, entryIdForLabel, listDefinitions, orderStatusOf, toCandidateRecord, toScreeningSection, type ScreeningFields } from './screening-lucca-reader';
import { PermanentError } from '../shared/permanent-error';

export interface PrepareOrderInput {
  tenantId: string;
  luccaId: number;
  orderKey: string;
  /** Sent as the dossier's externalReference: the order workflow id, so webhooks find their way back. */
  externalReference: string;
}

/** Where to write statuses in Lucca: the value id of the order-status value and the list entries. */
export interface StatusWriteTarget {
  statusValueId: number;
  createdEntryId: number;
  /** Dossier status → list entry id, for `statusLabels.mirror` labels found in the list. */
  mirrorEntryIds: Partial<Record<DossierStatusName, number>>;
}

export type PreparedOrder =
  | { kind: 'cancelled-by-hr'; reason: 'status-not-to-order' | 'status-value-replaced' | 'employee-not-found'; pollIntervalMinutes: number }
  | { kind: 'invalid'; problems: OrderProblem[]; pollIntervalMinutes: number }
  | {
      kind: 'ready';
      /** Personal data: only in (codec-encrypted) payloads, and stable across retries of the create. */
      request: DossierRequest;
      files: FileToTransfer[];
      target: StatusWriteTarget;
      /** Config problems that do not block the order (e.g. a mirror label missing from the list). */
      warnings: OrderProblem[];
      pollIntervalMinutes: number;
    };

export interface DossierSnapshot {
  dossierId: string;
  status: DossierStatusName;
  result: DossierResultName | null;
  history: StatusHistoryEntry[];
  created?: boolean;
}

export interface ScreeningOrderDependencies {
  tenants: TenantDirectory;
  /** Candidate records left by the intake (read in batches); absent or stale → one GET here. */
  artifacts?: ArtifactStore;
}

const FIELD_TO_CODE: Record<string, keyof ScreeningFields> = {
  package: 'package',
  reasonCategory: 'reasonCategory',
  reason: 'reason',
};

export function createScreeningOrderActivities(deps: ScreeningOrderDependencies) {
  const snapshots = deps.artifacts ? new CandidateSnapshots(deps.artifacts) : undefined;
  const configOf = (tenantId: string): AequivalentConnectorConfig => deps.tenants.section(tenantId, 'aequivalent');

  return {
    /**
     * Reads the candidate and the Background check section (1 GET + 4 list definitions), checks the
     * order is still wanted, validates it, and returns the dossier request or the problems.
     */
    async prepareScreeningOrder(input: PrepareOrderInput): Promise<PreparedOrder> {
      const config = configOf(input.tenantId);
      const pollIntervalMinutes = config.pollIntervalMinutes;
      const lucca = deps.tenants.lucca(input.tenantId);
      const signal = cancellationSignal();
      const definitions = await listDefinitions(lucca, config.fields);
      const statusDefinition = definitions.get(config.fields.orderStatus.toLowerCase());
      const toOrderEntry = entryIdForLabel(statusDefinition, config.statusLabels.toOrder);
      const createdEntry = entryIdForLabel(statusDefinition, config.statusLabels.created);
      // A configuration error: failing at once tells ops more than endless retries.
      if (toOrderEntry === undefined || createdEntry === undefined) {
        throw new PermanentError(`tenant "${input.tenantId}": the order-status list ${config.fields.orderStatus} has no entry matching the configured labels`, 'ScreeningStatusLabelMissing');
      }

      const user = (await snapshots?.take(input.externalReference)) ?? (await lucca.getUser(input.luccaId, candidateFieldSelection(config.fields), signal));
      if (!user) return { kind: 'cancelled-by-hr', reason: 'employee-not-found', pollIntervalMinutes };
      const status = orderStatusOf(user, config.fields.orderStatus);
      if (status.entryId !== toOrderEntry) return { kind: 'cancelled-by-hr', reason: 'status-not-to-order', pollIntervalMinutes };
      if (status.valueId === null || String(status.valueId) !== input.orderKey) return { kind: 'cancelled-by-hr', reason: 'status-value-replaced', pollIntervalMinutes };

      const section = toScreeningSection(user, config.fields, definitions);
      const validation = validateScreeningOrder(toCandidateRecord(user, input.luccaId), section, {
        externalReference: input.externalReference,
        // Aequivalent's catalogue of packages; reasons and categories are the tenant's own lists.
        labels: { packages: DEFAULT_SCREENING_LABELS.packages },
      });
      if (!validation.ok) {
        return {
          kind: 'invalid',
          pollIntervalMinutes,
          problems: validation.problems.map((p) => {
            const codeKey = FIELD_TO_CODE[p.field];
            return { code: p.code, field: p.field, message: p.message, ...(codeKey ? { luccaCode: config.fields[codeKey] } : {}) };
          }),
        };
      }

      const warnings: OrderProblem[] = [];
      const mirrorEntryIds: Partial<Record<DossierStatusName, number>> = {};
      for (const [dossierStatus, label] of Object.entries(config.statusLabels.mirror)) {
        const entryId = entryIdForLabel(statusDefinition, label);
        if (entryId === undefined) {
          warnings.push({ code: 'mirror_label_missing', field: 'orderStatus', luccaCode: config.fields.orderStatus, message: `The order-status list has no entry for the "${dossierStatus}" mirror label; that state is not mirrored.` });
        } else {
          mirrorEntryIds[dossierStatus as DossierStatusName] = entryId;
        }
      }
      const files: FileToTransfer[] = [
        ...(section.cvFileId ? [{ fileId: section.cvFileId, kind: 'cv' as const }] : []),
        ...section.otherFileIds.map((fileId) => ({ fileId, kind: 'other' as const })),
      ];
      return { kind: 'ready', request: validation.order, files, target: { statusValueId: status.valueId, createdEntryId: createdEntry, mirrorEntryIds }, warnings, pollIntervalMinutes };
    },

    /** Idempotent: a retry (or a re-run of the same order) gets the dossier created the first time. */
    async createScreeningDossier(input: { tenantId: string; request: DossierRequest; idempotencyKey: string }): Promise<DossierSnapshot> {
      const { dossier, created } = await deps.tenants.aequivalent(input.tenantId).createDossier(input.request, input.idempotencyKey);
      return { ...snapshotOf(dossier), created };
    },

    /** Sets the order-status value (keeping its value id) to a list entry. */
    async writeScreeningStatus(input: { tenantId: string; luccaId: number; statusValueId: number; entryId: number }): Promise<void> {
      const code = configOf(input.tenantId).fields.orderStatus;
      const write = listValueWrite({ id: input.statusValueId, value: null }, input.entryId);
      await deps.tenants.lucca(input.tenantId).updateExtendedData(input.luccaId, { [code]: write }, cancellationSignal());
    },

    /** Streams every file Lucca → Aequivalent; a retry resumes after the last file handed over. */
    async transferScreeningFiles(input: { tenantId: string; luccaId: number; dossierId: string; keyPrefix: string; files: FileToTransfer[] }): Promise<{ transferred: number }> {
      const lucca = deps.tenants.lucca(input.tenantId);
      const aequivalent = deps.tenants.aequivalent(input.tenantId);
      const resumeAt = typeof activityInfo().heartbeatDetails === 'number' ? (activityInfo().heartbeatDetails as number) : 0;
      for (let i = resumeAt; i < input.files.length; i++) {
        const file = input.files[i]!;
        await transferFile({ lucca, aequivalent, dossierId: input.dossierId, file, luccaId: input.luccaId, index: i, idempotencyKey: `${input.keyPrefix}:file:${file.fileId}`, signal: cancellationSignal() });
        heartbeat(i + 1);
      }
      return { transferred: input.files.length };
    },

    async getScreeningDossier(input: { tenantId: string; dossierId: string }): Promise<DossierSnapshot> {
      return snapshotOf(await deps.tenants.aequivalent(input.tenantId).getDossier(input.dossierId));
    },

    async cancelScreeningDossier(input: { tenantId: string; dossierId: string }): Promise<DossierSnapshot> {
      return snapshotOf(await deps.tenants.aequivalent(input.tenantId).cancelDossier(input.dossierId));
    },
  };
}

/** Only ids, statuses and dates: the dossier's candidate data stays out of workflow history. */
function snapshotOf(dossier: { id: string; status: DossierStatusName; result: DossierResultName | null; statusHistory: Array<{ status: DossierStatusName; at: string }> }): DossierSnapshot {
  return {
    dossierId: dossier.id,
    status: dossier.status,
    result: dossier.result,
    history: dossier.statusHistory.map((h) => ({ status: h.status, at: h.at, source: 'poll' as const })),
  };
}
