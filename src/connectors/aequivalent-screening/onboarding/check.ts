import type { TenantConfig } from '../../../config/config-schema';
import type { AequivalentConnectorConfig } from '../config-section';
import { DEFAULT_SCREENING_LABELS } from '../domain/screening-section';
import { AequivalentClient } from '../aequivalent/client';
import type { ConnectorOnboardingCheck } from '../../../onboarding/connector-check';
import { extendedDataFindings, type ExpectedData } from '../../../onboarding/extended-data-findings';
import { populationFindings } from '../../../onboarding/population-findings';
import { targetAccountFinding } from '../../../onboarding/target-findings';
import { attachmentFinding } from './attachment-probe';
import { orderStatusWriteFinding } from './write-probe';

const SECTION = 'Background check';

/** The "Background check" section as the Aequivalent set-up article asks for it (codes from the tenant's config). */
export function backgroundCheckSection(config: AequivalentConnectorConfig): ExpectedData[] {
  return [...dossierFields(config), ...attachmentFields(config), ...followUpFields(config)];
}

/** What to order: programme, dossier type, reason, cost centre. */
function dossierFields(config: AequivalentConnectorConfig): ExpectedData[] {
  const f = config.fields;
  const optional = (label: string) => ({ label, required: false });
  return [
    {
      code: f.package,
      name: 'Choix du programme',
      section: SECTION,
      formatKey: 'list',
      required: true,
      impact: 'no order can say which programme to run',
      entries: DEFAULT_SCREENING_LABELS.packages.map(optional),
    },
    {
      code: f.reasonCategory,
      name: 'Type de dossier',
      section: SECTION,
      formatKey: 'list',
      required: true,
      impact: 'no order can say the dossier type',
    },
    {
      code: f.reason,
      name: 'Raison',
      section: SECTION,
      formatKey: 'list',
      required: true,
      impact: 'no order can say the reason of the screening',
    },
    {
      code: f.costCenter,
      name: 'Division / Centre de coûts',
      section: SECTION,
      formatKey: 'text',
      required: false,
      impact: 'orders reach Aequivalent without cost centre',
    },
  ];
}

/** The files sent with the order. */
function attachmentFields(config: AequivalentConnectorConfig): ExpectedData[] {
  const f = config.fields;
  return [
    {
      code: f.cvFile,
      name: "Cv de l'employé.e (potentiel-le)",
      section: SECTION,
      formatKey: 'file',
      multiple: false,
      required: false,
      impact: 'the CV is not sent to Aequivalent',
    },
    {
      code: f.otherFiles,
      name: 'Autres documents',
      section: SECTION,
      formatKey: 'file',
      multiple: true,
      required: false,
      impact: 'the other documents are not sent to Aequivalent',
    },
  ];
}

/** Who follows the dossier, and the status that starts an order and records it. */
function followUpFields(config: AequivalentConnectorConfig): ExpectedData[] {
  const f = config.fields;
  return [
    {
      code: f.clientUser,
      name: 'Responsable du dossier',
      section: SECTION,
      formatKey: 'user',
      required: false,
      impact: 'Aequivalent does not know who is in charge of the dossier',
    },
    {
      code: f.orderStatus,
      name: 'Statut de la commande du dossier',
      section: SECTION,
      formatKey: 'list',
      required: true,
      impact: 'no order is ever seen (the daily intake finds nobody "to order")',
      entries: [
        { label: config.statusLabels.toOrder, required: true },
        { label: config.statusLabels.created, required: true },
      ],
    },
  ];
}

/**
 * Aequivalent screening: the eight codes of the Background check section (exist, right format,
 * readable, list entries), future employees (candidates), attachments downloadable, the order status
 * writable (only with the opt-in write probe), and the Aequivalent API key.
 */
export const aequivalentScreeningCheck: ConnectorOnboardingCheck = {
  connector: 'aequivalent-screening',
  enabled: (tenant: TenantConfig) => tenant.aequivalent?.enabled === true,
  luccaNeeds: (tenant) => {
    const f = tenant.aequivalent!.fields;
    return {
      codes: backgroundCheckSection(tenant.aequivalent!).map((d) => d.code),
      formerEmployees: false,
      futureEmployees: true,
      sampleCodes: [f.orderStatus, f.cvFile, f.otherFiles],
    };
  },
  async luccaFindings(ctx) {
    const config = ctx.tenant.aequivalent!;
    return [
      ...populationFindings(ctx.snapshot, { future: 'orders for candidates who have not started yet are never seen' }),
      ...backgroundCheckSection(config).flatMap((d) => extendedDataFindings(ctx.snapshot, d)),
      await attachmentFinding(ctx, config),
      await orderStatusWriteFinding(ctx, config),
    ];
  },
  targetFinding(ctx) {
    const config = ctx.tenant.aequivalent!;
    const client = new AequivalentClient({
      tenantId: ctx.tenant.id,
      baseUrl: config.baseUrl,
      apiKey: ctx.secret(config.apiKey),
      retry: { maxAttempts: 1 },
    });
    // A search by a reference no order uses: a read that proves the key and the account.
    return targetAccountFinding('Aequivalent', config.baseUrl, () => client.findByExternalReference('lucca-connectors-check'));
  },
};
