import { cancellationSignal } from '@temporalio/activity';
import type { AequivalentConnectorConfig } from '../../connectors/aequivalent-screening/config-section';
import type { TenantDirectory } from '../../config/tenant-directory';
import { DEFAULT_SCREENING_LABELS, validateScreeningOrder, type ScreeningSection } from '../../connectors/aequivalent-screening/domain';
import type { DossierRequest } from '../../connectors/aequivalent-screening/aequivalent/schemas';
import type { ExtensionDefinition } from '../../integrations/lucca/lucca-schemas';
import { PermanentError } from '../../shared/permanent-error';
import type { DossierStatusName, OrderProblem } from '../../connectors/aequivalent-screening/contract';
import type { CandidateSnapshots } from './screening-candidate-snapshots';
import type { FileToTransfer } from './screening-file-transfer';
import {
  candidateFieldSelection,
  entryIdForLabel,
  listDefinitions,
  orderStatusOf,
  toCandidateRecord,
  toScreeningSection,
  type ScreeningFields,
} from './screening-lucca-reader';

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
      /** After this many days without a final state the order stops following (`follow-up-deadline`). */
      followUpDeadlineDays: number;
      /** A write-back failing this long becomes the visible stage `write-back-blocked`. */
      writeBackAlertHours: number;
    };

export interface PrepareOrderDependencies {
  tenants: TenantDirectory;
  /** Candidate records left by the intake (read in batches); absent or stale → one GET here. */
  snapshots?: CandidateSnapshots;
}

const FIELD_TO_CODE: Record<string, keyof ScreeningFields> = {
  package: 'package',
  reasonCategory: 'reasonCategory',
  reason: 'reason',
};

/**
 * Reads the candidate and the Background check section (the intake's record, or 1 GET, + the list
 * definitions, cached), checks the order is still wanted, validates it, and returns the dossier
 * request or the problems.
 */
export async function prepareScreeningOrder(deps: PrepareOrderDependencies, input: PrepareOrderInput): Promise<PreparedOrder> {
  const config: AequivalentConnectorConfig = deps.tenants.section(input.tenantId, 'aequivalent');
  const { pollIntervalMinutes } = config;
  const lucca = deps.tenants.lucca(input.tenantId);
  const definitions = await listDefinitions(lucca, config.fields);
  const statusDefinition = definitions.get(config.fields.orderStatus.toLowerCase());
  const toOrderEntry = entryIdForLabel(statusDefinition, config.statusLabels.toOrder);
  const createdEntry = entryIdForLabel(statusDefinition, config.statusLabels.created);
  // A configuration error: failing at once tells ops more than endless retries.
  if (toOrderEntry === undefined || createdEntry === undefined) {
    throw new PermanentError(
      `tenant "${input.tenantId}": the order-status list ${config.fields.orderStatus} has no entry matching the configured labels`,
      'ScreeningStatusLabelMissing',
    );
  }

  const user =
    (await deps.snapshots?.take(input.externalReference)) ??
    (await lucca.getUser(input.luccaId, candidateFieldSelection(config.fields), cancellationSignal()));
  if (!user) return { kind: 'cancelled-by-hr', reason: 'employee-not-found', pollIntervalMinutes };
  const status = orderStatusOf(user, config.fields.orderStatus);
  if (status.entryId !== toOrderEntry) return { kind: 'cancelled-by-hr', reason: 'status-not-to-order', pollIntervalMinutes };
  if (status.valueId === null || String(status.valueId) !== input.orderKey)
    return { kind: 'cancelled-by-hr', reason: 'status-value-replaced', pollIntervalMinutes };

  const section = toScreeningSection(user, config.fields, definitions);
  const validation = validateScreeningOrder(toCandidateRecord(user, input.luccaId), section, {
    externalReference: input.externalReference,
    // Aequivalent's catalogue of packages; reasons and categories are the tenant's own lists.
    labels: { packages: DEFAULT_SCREENING_LABELS.packages },
  });
  if (!validation.ok) {
    const problems = validation.problems.map((p) => {
      const codeKey = FIELD_TO_CODE[p.field];
      return { code: p.code, field: p.field, message: p.message, ...(codeKey ? { luccaCode: config.fields[codeKey] } : {}) };
    });
    return { kind: 'invalid', pollIntervalMinutes, problems };
  }
  const { mirrorEntryIds, warnings } = mirrorTargets(config, statusDefinition);
  return {
    kind: 'ready',
    request: validation.order,
    files: filesOf(section),
    target: { statusValueId: status.valueId, createdEntryId: createdEntry, mirrorEntryIds },
    warnings,
    pollIntervalMinutes,
    followUpDeadlineDays: config.followUpDeadlineDays,
    writeBackAlertHours: config.writeBackAlertHours,
  };
}

/** List entries for the `statusLabels.mirror` labels; a label missing from the list is a warning, not a failure. */
function mirrorTargets(
  config: AequivalentConnectorConfig,
  statusDefinition: ExtensionDefinition | undefined,
): { mirrorEntryIds: StatusWriteTarget['mirrorEntryIds']; warnings: OrderProblem[] } {
  const warnings: OrderProblem[] = [];
  const mirrorEntryIds: Partial<Record<DossierStatusName, number>> = {};
  for (const [dossierStatus, label] of Object.entries(config.statusLabels.mirror)) {
    const entryId = entryIdForLabel(statusDefinition, label);
    if (entryId === undefined) {
      warnings.push({
        code: 'mirror_label_missing',
        field: 'orderStatus',
        luccaCode: config.fields.orderStatus,
        message: `The order-status list has no entry for the "${dossierStatus}" mirror label; that state is not mirrored.`,
      });
    } else {
      mirrorEntryIds[dossierStatus as DossierStatusName] = entryId;
    }
  }
  return { mirrorEntryIds, warnings };
}

function filesOf(section: ScreeningSection): FileToTransfer[] {
  return [
    ...(section.cvFileId ? [{ fileId: section.cvFileId, kind: 'cv' as const }] : []),
    ...section.otherFileIds.map((fileId) => ({ fileId, kind: 'other' as const })),
  ];
}
