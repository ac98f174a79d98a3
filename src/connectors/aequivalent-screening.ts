import { createScreeningActivities } from '../activities/aequivalent-screening/screening-activities';
import { renderScreeningIntakeReport } from '../reports/screening-intake-report';
import { screeningRunWords } from '../reports/screening-run-words';
import {
  AEQUIVALENT_SCREENING_CONNECTOR,
  SCREENING_INTAKE,
  screeningIntakeWorkflowId,
  type ScreeningIntakeResult,
} from '../shared/screening-order-contract';
import type { ConnectorDefinition } from './connector-definition';
import { aequivalentScreeningCheck } from '../onboarding/connectors/aequivalent-screening-check';
import type { AequivalentSandbox } from '../sandbox/aequivalent';
import { sandboxTenantOf } from './sandbox-tenant-of';

/** Lucca ↔ Aequivalent screening orders: a daily intake starts one order workflow per request (config section `aequivalent`). */
export const aequivalentScreeningConnector = {
  name: AEQUIVALENT_SCREENING_CONNECTOR,
  title: 'Aequivalent screening orders',
  configKey: 'aequivalent',
  workflowType: SCREENING_INTAKE,
  runWorkflowId: screeningIntakeWorkflowId,
  supportsDryRun: false,
  runWords: screeningRunWords,
  createActivities: createScreeningActivities,
  // The intake's report is its result (ids and reasons only); each order's report: src/client/run-reports.ts.
  renderReport: async (result, _artifacts, format) => renderScreeningIntakeReport(result as ScreeningIntakeResult, format),
  sandboxPort: 4300,
  async startSimulator({ port, loaded, webhookUrlFor }) {
    const { AequivalentSandbox, addSandboxAccountsFromConfig } = await import('../sandbox/aequivalent');
    // Dossiers advance on their own clock so a local run shows the whole lifecycle in minutes.
    const sandbox = await AequivalentSandbox.start({
      port,
      lifecycle: { mode: 'auto', stepMs: 20_000, expireAfterMs: 6 * 7 * 24 * 3600 * 1000 },
    });
    addSandboxAccountsFromConfig(sandbox, loaded.config, loaded.baseDir, webhookUrlFor);
    return sandbox;
  },
  addSandboxAccount(simulator, tenant, { secret, webhookUrlFor }) {
    const section = tenant.aequivalent;
    const sandbox = simulator as AequivalentSandbox;
    const id = section && sandboxTenantOf(sandbox.url, section.baseUrl);
    if (!section || !id || sandbox.hasTenant(id)) return false;
    sandbox.addTenant(id, {
      apiKey: secret(section.apiKey),
      webhookSecret: secret(section.webhookSecret),
      webhookUrl: webhookUrlFor(tenant.id),
    });
    return true;
  },
  onboardingCheck: aequivalentScreeningCheck,
} satisfies ConnectorDefinition<typeof AEQUIVALENT_SCREENING_CONNECTOR>;
